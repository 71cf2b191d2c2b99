package io.auditrail.alerts;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyId;
import io.auditrail.core.anomaly.Severity;
import java.time.Instant;
import java.util.List;

/** Anomalies for tests, shaped as the streams stage writes them. */
final class Anomalies {
    static final Instant T0 = Instant.parse("2026-11-20T10:15:30Z");

    private Anomalies() {
    }

    static Anomaly of(String rule, Severity severity, String tenant, String actor, String firstEvent) {
        return new Anomaly(Anomaly.SCHEMA_VERSION, AnomalyId.of(rule, actor, firstEvent), rule, severity, tenant, actor,
                "alice", "10.0.0.7", List.of(firstEvent), T0, T0, 1, 1,
                "token of tenant " + tenant + " read secret/data/tenants/b/db");
    }

    static Anomaly critical(String firstEvent) {
        return of("cross_tenant_access", Severity.CRITICAL, "acme", "entity:e-1", firstEvent);
    }

    static Anomaly revised(Anomaly a, int revision, long count) {
        return new Anomaly(a.schema(), a.anomalyId(), a.rule(), a.severity(), a.tenantId(), a.actor(),
                a.actorDisplayName(), a.remoteAddress(), a.eventIds(), a.windowStart(), a.windowStart().plusSeconds(60),
                count, revision, a.description());
    }
}
