package io.auditrail.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyAndScriptTest {
    @Test
    void tenantPolicyConfinesToTheTenantsOwnPrefix() {
        assertThat(Invariants.tenantPolicy(Repo.hcl("infra/vault/policies/tenant.hcl"))).isEmpty();
    }

    @Test
    void theTenantCheckerCatchesAWideningPath() {
        Hcl.Block wide = Hcl.parse("""
                path "secret/data/tenants/*" { capabilities = ["read"] }
                path "secret/data/tenants/{{identity.entity.metadata.tenant_id}}/*" { capabilities = ["read", "sudo"] }
                path "sys/*" { capabilities = ["read"] }
                """);
        assertThat(Invariants.tenantPolicy(wide)).hasSize(3);
        assertThat(Invariants.tenantPolicy(Hcl.parse("# nothing\n"))).isNotEmpty();
    }

    @Test
    void noOtherPolicyReachesTenantSecretData() {
        for (String name : List.of("auditrail-app", "snapshot", "platform-admin", "transit-autounseal")) {
            Hcl.Block p = Repo.hcl("infra/vault/policies/" + name + ".hcl");
            assertThat(p.blocks("path")).as(name).isNotEmpty()
                    .noneMatch(b -> Invariants.reachesTenantData(b.label()));
        }
    }

    @Test
    void theReachCheckerCatchesGlobsAndPlusSegmentsOverTenantData() {
        assertThat(List.of("secret/data/*", "secret/*", "*", "secret/+/tenants/*", "+/data/tenants/+/db",
                "secret/data/tenants/*", "secret/data/tenants/+/db")).allMatch(Invariants::reachesTenantData);
        assertThat(List.of("secret/data/platform/auditrail/*", "sys/audit-hash/auditrail", "secret/data/tenant",
                "identity/entity/id/*", "secret/data/tenants")).noneMatch(Invariants::reachesTenantData);
    }

    @Test
    void everyScriptIsStrictAndExecutable() throws Exception {
        List<Path> scripts = Repo.files("infra").stream().filter(p -> p.toString().endsWith(".sh")).toList();
        assertThat(scripts).extracting(p -> p.getFileName().toString())
                .contains("bootstrap.sh", "add-tenant.sh", "remove-tenant.sh", "snapshot.sh", "restore-snapshot.sh",
                        "transit-init.sh", "verify-cluster.sh", "ci-checks.sh");
        for (Path s : scripts) {
            String text = Repo.text(s);
            if (s.getFileName().toString().equals("lib.sh")) {
                continue; // sourced
            }
            assertThat(text).as(Repo.relative(s)).startsWith("#!");
            assertThat(text).as(Repo.relative(s)).containsAnyOf("set -euo pipefail", "set -eu");
            assertThat(Files.isExecutable(s)).as(Repo.relative(s) + " executable").isTrue();
        }
    }

    @Test
    void addTenantValidatesIdsAndBootstrapNeverPrintsRecoveryKeysToTheLog() {
        assertThat(Repo.text("infra/vault/scripts/lib.sh")).contains("^[a-z0-9][a-z0-9-]{1,62}$");
        assertThat(Repo.text("infra/vault/scripts/add-tenant.sh")).contains("valid_tenant_id \"$tenant\"");
        String bootstrap = Repo.text("infra/vault/scripts/bootstrap.sh");
        assertThat(bootstrap).contains("init_json=\"$(vault operator init")
                .contains("write_secret_file \"$INIT_FILE\" \"$init_json\"");
        assertThat(bootstrap).doesNotContainPattern("vault operator init[^\\n]*\\|\\s*tee");
        assertThat(bootstrap).contains("token_ttl=\"$ttl\"").contains("ensure_approle auditrail auditrail-app 1h 24h");
    }
}
