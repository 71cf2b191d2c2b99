package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.Settings;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidencePackBuilderTest {
    private static final Instant T = Instant.parse("2026-07-01T00:00:00Z");

    @Test
    void aBadPeriodOrTenantIsRefusedBeforeAnyQuery() {
        // no DataSource at all: the checks come first
        EvidencePackBuilder builder = new EvidencePackBuilder(null, Settings.of(Map.of()), Clock.systemUTC());
        assertThatThrownBy(() -> builder.build(" ", T, T.plusSeconds(1))).hasMessage("tenant is required");
        assertThatThrownBy(() -> builder.build("acme", T, T)).hasMessage("the period needs from < to");
        assertThatThrownBy(() -> builder.build("acme", T.plusSeconds(1), T)).hasMessage("the period needs from < to");
        assertThatThrownBy(() -> builder.build("acme", Instant.parse("2000-01-01T00:00:00Z"), T))
                .hasMessage("the period may span at most 3660 days");
    }

    @Test
    void aConfiguredButUnusableSigningKeyFailsLoudlyWithoutQuotingIt() {
        Settings settings = Settings.of(Map.of(EvidenceConfig.SIGNING_KEY, "not-a-key-SECRETVALUE"));
        assertThatThrownBy(() -> new EvidencePackBuilder(null, settings, Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the evidence pack signing key is configured but unusable")
                .hasMessageNotContaining("SECRETVALUE");
    }
}
