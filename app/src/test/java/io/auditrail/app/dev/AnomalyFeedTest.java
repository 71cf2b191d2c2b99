package io.auditrail.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyFeedTest {
    private static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void oneLineWithSeverityRuleTenantActorAndCount() {
        Anomaly a = new Anomaly(1, "a-1", "cross_tenant_read", Severity.CRITICAL, "acme", "ent-1", "svc-bot",
                "10.0.0.7", List.of("e-1"), T, T, 1, 1, "read another tenant's secret");
        assertThat(AnomalyFeed.format(a)).isEqualTo(
                "ANOMALY critical cross_tenant_read tenant=acme actor=svc-bot from=10.0.0.7 count=1: "
                        + "read another tenant's secret");
    }

    @Test
    void aPlatformAnomalyWithoutDisplayNameOrAddressAndARevision() {
        Anomaly a = new Anomaly(1, "a-2", "root_token_use", Severity.HIGH, null, "root", null, null, List.of(), T, T,
                12, 2, "root token used");
        assertThat(AnomalyFeed.format(a)).isEqualTo("ANOMALY high     root_token_use tenant=- actor=root count=12 "
                + "(update): root token used");
    }
}
