package io.auditrail.index;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.event.Actor;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.event.RawPosition;
import io.auditrail.core.tenant.TenantSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Hand-made events and anomalies as the streams stage publishes them. */
final class Events {
    private Events() {
    }

    static String id(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static PairedEvent read(String eventId, Instant time, String tenant, String path) {
        AuditEvent e = new AuditEvent(AuditEvent.SCHEMA_VERSION, eventId, "req-" + eventId, "request", time, tenant,
                tenant == null ? TenantSource.NONE : TenantSource.METADATA, tenant, tenant, "read", path,
                path.replace("/data/", "/"), "kv", "secret/", null, Outcome.OK, null,
                new Actor("entity-" + (tenant == null ? "root" : tenant), "approle-" + tenant, List.of("default"),
                        "service", 3600L, "hmac-sha256:abc", "10.0.0.7", 51234),
                null, null, List.of(), new RawPosition(0, 42));
        return new PairedEvent(e, new Pairing(PairingStatus.PAIRED, id(eventId + "-response"), Outcome.DENIED,
                "1 error occurred:\n\t* permission denied\n\n", null));
    }

    static byte[] json(PairedEvent e) {
        return e.toJson();
    }

    static Anomaly anomaly(String anomalyId, int revision, long count, String... eventIds) {
        return new Anomaly(Anomaly.SCHEMA_VERSION, anomalyId, "cross_tenant_access", Severity.CRITICAL, "acme",
                "entity:e-1", "approle-acme", "10.0.0.7", List.of(eventIds), Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-01T10:05:00Z"), count, revision, "token of acme read tenant beta's secret");
    }

    static byte[] json(Anomaly a) {
        return AnomalyCodec.toBytes(a);
    }
}
