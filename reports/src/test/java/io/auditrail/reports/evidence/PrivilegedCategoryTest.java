package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrivilegedCategoryTest {
    @Test
    void writesToPrivilegedPathsAreCategorised() {
        assertThat(PrivilegedCategory.of("sys/audit/file", "update")).contains(PrivilegedCategory.AUDIT_DEVICE);
        assertThat(PrivilegedCategory.of("sys/policies/acl/x", "delete")).contains(PrivilegedCategory.POLICY);
        assertThat(PrivilegedCategory.of("sys/policy/x", "update")).contains(PrivilegedCategory.POLICY);
        assertThat(PrivilegedCategory.of("sys/auth/userpass", "create")).contains(PrivilegedCategory.AUTH_METHOD);
        assertThat(PrivilegedCategory.of("sys/mounts/kv2", "update")).contains(PrivilegedCategory.SECRETS_ENGINE);
        assertThat(PrivilegedCategory.of("sys/step-down", "update")).contains(PrivilegedCategory.SEAL_AND_CLUSTER);
        assertThat(PrivilegedCategory.of("auth/token/create-orphan", "update"))
                .contains(PrivilegedCategory.TOKEN_CREATION);
        assertThat(PrivilegedCategory.of("auth/token/revoke-accessor", "update"))
                .contains(PrivilegedCategory.TOKEN_REVOCATION);
        assertThat(PrivilegedCategory.of("auth/token/roles/ci", "create")).contains(PrivilegedCategory.TOKEN_ROLE);
        assertThat(PrivilegedCategory.of("auth/userpass/users/alice", "create"))
                .contains(PrivilegedCategory.AUTH_USERS_AND_ROLES);
        assertThat(PrivilegedCategory.of("auth/approle/role/ci", "update"))
                .contains(PrivilegedCategory.AUTH_USERS_AND_ROLES);
        assertThat(PrivilegedCategory.of("identity/group/name/admins", "update"))
                .contains(PrivilegedCategory.IDENTITY);
        assertThat(PrivilegedCategory.of("sys/config/cors", "update")).contains(PrivilegedCategory.OTHER_SYSTEM);
    }

    @Test
    void readsLoginsAndRoutineClientTrafficAreNotChanges() {
        assertThat(PrivilegedCategory.of("sys/policies/acl/x", "read")).isEmpty();
        assertThat(PrivilegedCategory.of("sys/audit", "list")).isEmpty();
        assertThat(PrivilegedCategory.of("auth/userpass/login/alice", "update")).isEmpty();
        assertThat(PrivilegedCategory.of("auth/token/renew-self", "update")).isEmpty();
        assertThat(PrivilegedCategory.of("auth/token/lookup-self", "read")).isEmpty();
        assertThat(PrivilegedCategory.of("sys/leases/renew", "update")).isEmpty();
        assertThat(PrivilegedCategory.of("sys/wrapping/unwrap", "update")).isEmpty();
        assertThat(PrivilegedCategory.of("sys/audit/test", "update")).isEmpty();
        assertThat(PrivilegedCategory.of("secret/data/tenants/acme/db", "update")).isEmpty();
        assertThat(PrivilegedCategory.of(null, "update")).isEqualTo(Optional.empty());
    }

    @Test
    void loginPathsAreRecognisedByMountNotBySubstring() {
        assertThat(IndexEvidence.isLogin("auth/userpass/login/alice")).isTrue();
        assertThat(IndexEvidence.isLogin("auth/approle/login")).isTrue();
        assertThat(IndexEvidence.isLogin("auth/userpass/users/login")).isFalse();
        assertThat(IndexEvidence.isLogin("secret/auth/x/login")).isFalse();
    }

    @Test
    void routinePrefixesAreSafeToInlineInLike() {
        // IndexEvidence writes them into SQL: they must hold no quote and no LIKE wildcard
        assertThat(PrivilegedCategory.ROUTINE_PREFIXES).allMatch(p -> p.matches("[a-z/-]+"));
        assertThat(IndexEvidence.PRIVILEGED_SQL).contains("path NOT LIKE 'sys/wrapping/%'");
    }
}
