package io.auditrail.reports.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.reports.query.Access;
import io.auditrail.reports.query.AccessDenied;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {
    private final Principal auditor = new Principal("tok_a", Role.AUDITOR, Set.of("acme"));
    private final Principal compliance = new Principal("tok_c", Role.COMPLIANCE, Set.of());

    @Test
    void anAuditorSeesOnlyItsTenantsAndNeverThePlatform() {
        assertThat(auditor.maySee("acme")).isTrue();
        assertThat(auditor.maySee("globex")).isFalse();
        assertThat(auditor.maySee("ACME")).isFalse();
        assertThat(auditor.maySee(null)).isFalse();
        assertThatThrownBy(() -> Access.requireTenant(auditor, "-")).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> Access.requireTenant(auditor, "globex")).isInstanceOf(AccessDenied.class)
                .satisfies(e -> assertThat(((AccessDenied) e).tenant()).isEqualTo("globex"));
        Access.requireTenant(auditor, "acme");
    }

    @Test
    void complianceAndAdminSeeEveryTenantAndThePlatform() {
        assertThat(compliance.maySee("globex")).isTrue();
        assertThat(compliance.maySee(null)).isTrue();
        Access.requireTenant(compliance, "-");
        assertThatThrownBy(() -> Access.requireRole(auditor, Role.ADMIN, Role.COMPLIANCE))
                .isInstanceOf(AccessDenied.class);
    }

    @Test
    void rolesParseTheirStoredNamesOnly() {
        assertThat(Role.parse("auditor")).isEqualTo(Role.AUDITOR);
        assertThatThrownBy(() -> Role.parse("AUDITOR")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantName.check("-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantName.check("a\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TenantName.check("ünï漢字")).isEqualTo("ünï漢字");
    }
}
