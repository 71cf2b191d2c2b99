package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.event.Actor;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.event.RawPosition;
import io.auditrail.core.tenant.TenantSource;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, item 10: tenant acme's token reading tenant beta's secret is filed under acme (the token's tenant), and
 * must belong to beta too. The index keeps the path's tenant in its own column and attributes the anomalies listing
 * such an event to beta, whichever of the event and the anomaly it writes first; acme's other events stay acme's.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossTenantAttributionIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anAnomalyWrittenAfterItsEventsIsAttributedToTheTenantWhosePathWasRead(EmbeddedKafka kafka,
                                                                               EmbeddedPostgres pg) throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        String cross = Events.id("cross-1");
        String own = Events.id("own-1");
        f.produce(f.topics.events(), List.of(Events.json(read(cross, t, "acme", "secret/data/tenants/beta/db")),
                Events.json(read(own, t.plusSeconds(1), "acme", "secret/data/tenants/acme/db"))));
        try (IndexStage stage = IndexStage.start(f.settings, new SimpleMeterRegistry())) {
            await().atMost(WAIT).until(() -> f.countQuietly("SELECT count(*) FROM audit_event") == 2);
            f.produce(f.topics.anomalies(), List.of(Events.json(anomaly("an-1", t, t.plusSeconds(1), cross, own))));
            await().atMost(WAIT).until(() -> f.countQuietly("SELECT count(*) FROM anomaly") == 1);
            assertThat(stage.isReady()).isTrue();
        }
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE tenant_id = 'acme' AND path_tenant_id = 'beta' "
                + "AND event_id = '" + cross + "'")).isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM anomaly_path_tenant WHERE tenant_id = 'beta' AND anomaly_id = '"
                + Events.id("an-1") + "' AND event_id = '" + cross + "'")).isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM anomaly_path_tenant")).as("acme's own read is acme's alone")
                .isEqualTo(1);
    }

    @Test
    void anEventWrittenAfterItsAnomalyIsAttributedAsWell(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        String cross = Events.id("cross-2");
        f.produce(f.topics.anomalies(), List.of(Events.json(anomaly("an-2", t, t, cross))));
        try (IndexStage stage = IndexStage.start(f.settings, new SimpleMeterRegistry())) {
            await().atMost(WAIT).until(() -> f.countQuietly("SELECT count(*) FROM anomaly") == 1);
            assertThat(f.count("SELECT count(*) FROM anomaly_path_tenant")).isZero();
            f.produce(f.topics.events(), List.of(Events.json(read(cross, t, "acme", "secret/data/tenants/beta/k"))));
            await().atMost(WAIT).until(() -> f.countQuietly("SELECT count(*) FROM anomaly_path_tenant "
                    + "WHERE tenant_id = 'beta'") == 1);
            // the same event again (Vault's resend, a replay): no second row anywhere
            f.produce(f.topics.events(), List.of(Events.json(read(cross, t, "acme", "secret/data/tenants/beta/k"))));
            await().atMost(WAIT).until(() -> stage.metrics().duplicates(IndexMetrics.Kind.EVENT) == 1);
        }
        assertThat(f.count("SELECT count(*) FROM anomaly_path_tenant")).isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM audit_event")).isEqualTo(1);
    }

    /** A read by a token of {@code actorTenant} (its metadata), of {@code path}, denied. */
    private static PairedEvent read(String eventId, Instant time, String actorTenant, String path) {
        String pathTenant = path.replaceFirst("^secret/data/tenants/([^/]+)/.*$", "$1");
        AuditEvent e = new AuditEvent(AuditEvent.SCHEMA_VERSION, eventId, "req-" + eventId, "request", time,
                actorTenant, TenantSource.METADATA, actorTenant, pathTenant, "read", path, path.replace("/data/", "/"),
                "kv", "secret/", null, Outcome.DENIED, "permission denied",
                new Actor("entity-" + actorTenant, "approle-" + actorTenant, List.of("default"), "service", 3600L,
                        "hmac-sha256:abc", "10.0.0.7", 51234), null, null, List.of(), new RawPosition(0, 42));
        return new PairedEvent(e, new Pairing(PairingStatus.PAIRED, Events.id(eventId + "-response"), Outcome.DENIED,
                "1 error occurred:\n\t* permission denied\n\n", null));
    }

    private static Anomaly anomaly(String seed, Instant start, Instant end, String... eventIds) {
        return new Anomaly(Anomaly.SCHEMA_VERSION, Events.id(seed), "cross_tenant_access", Severity.CRITICAL, "acme",
                "entity:entity-acme", "approle-acme", "10.0.0.7", List.of(eventIds), start, end, eventIds.length, 1,
                "token of tenant acme read secret/data/tenants/beta/db of tenant beta");
    }
}
