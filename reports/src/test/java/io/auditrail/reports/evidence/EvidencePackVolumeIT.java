package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quarter of one tenant's traffic (~200k events over 90 days, among as many of other tenants): checks the counts
 * and prints how long building and writing the pack takes (the figure for bench/RESULTS.md; not asserted).
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class EvidencePackVolumeIT {
    private static final int REQUESTS = 100_000; // two events each: request and response
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-04-01");
    private static final int DAYS = 90;

    @TempDir
    Path keys;

    @Test
    void aQuarterOfOneTenantsTrafficIsCountedExactlyAndTimed(EmbeddedPostgres pg) throws Exception {
        EvidenceDatabase db = EvidenceDatabase.create(pg);
        Instant from = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(DAYS));
        db.partitions(FIRST_DAY, FIRST_DAY.plusDays(DAYS));
        long seedStart = System.nanoTime();
        seed(db, "bench", from);
        for (int t = 0; t < 4; t++) {
            seed(db, "other-" + t, from.plusSeconds(t));
        }
        db.execute("INSERT INTO anomaly (anomaly_id, rule, severity, tenant_id, actor, event_ids, window_start,"
                + " window_end, fired_count, revision, status) SELECT gen_random_uuid(), 'read_rate_spike', 'medium',"
                + " 'bench', 'entity:e-' || (i % 20), '{}', timestamptz '" + from + "' + i * interval '3 hours',"
                + " timestamptz '" + from + "' + i * interval '3 hours' + interval '1 minute', 1, 1,"
                + " CASE WHEN i % 2 = 0 THEN 'resolved' ELSE 'open' END FROM generate_series(0, 699) i");
        db.execute("INSERT INTO anomaly_disposition (anomaly_id, status, note, decided_by, decided_at)"
                + " SELECT anomaly_id, 'resolved', 'expected batch job', 'tok-lead', window_end + interval '1 hour'"
                + " FROM anomaly WHERE status = 'resolved'");
        db.execute("INSERT INTO meta_audit (at, token_id, role, method, route, tenant_id, tenant_ids, outcome, status)"
                + " SELECT timestamptz '" + from + "' + i * interval '2 hours', 'tok-aud', 'auditor', 'GET',"
                + " '/api/v1/tenants/{tenant}/events', 'bench', ARRAY['bench'], 'ok', 200"
                + " FROM generate_series(0, 999) i");
        db.execute("VACUUM ANALYZE");
        long seedMs = (System.nanoTime() - seedStart) / 1_000_000;

        ArchiveKeys.generate(keys.resolve("pack.key"), keys.resolve("pack.pub"));
        Settings settings = Settings.of(Map.of(EvidenceConfig.SIGNING_KEY_FILE, keys.resolve("pack.key").toString(),
                CoreConfig.S3_ENDPOINT, "http://127.0.0.1:1", CoreConfig.S3_ACCESS_KEY, "x",
                CoreConfig.S3_SECRET_KEY, "y"));
        EvidencePackBuilder builder = new EvidencePackBuilder(db.serve, settings,
                Clock.fixed(to.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        builder.build("bench", from, to); // warm-up: class loading, plan caches

        long t0 = System.nanoTime();
        EvidencePack pack = builder.build("bench", from, to);
        long t1 = System.nanoTime();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        pack.write(EvidencePack.Format.ZIP, zip);
        long t2 = System.nanoTime();

        EvidenceFacts.Totals totals = pack.facts().totals();
        assertThat(totals.events()).isEqualTo(2L * REQUESTS);
        assertThat(totals.requests()).isEqualTo(REQUESTS);
        assertThat(totals.denied()).isEqualTo(REQUESTS * 3L / 100);
        assertThat(totals.failedLogins()).isEqualTo(REQUESTS / 100);
        assertThat(totals.privilegedChanges()).isEqualTo(REQUESTS / 100);
        assertThat(pack.facts().secretAccess().stream().mapToLong(EvidenceFacts.SecretAccess::requests).sum())
                .isEqualTo(REQUESTS * 98L / 100);
        assertThat(totals.anomalies()).isEqualTo(700);
        assertThat(totals.metaAuditCalls()).isEqualTo(1000);
        assertThat(EvidencePackVerifier.verify(zip.toByteArray(),
                ArchiveKeys.readPublicKey(keys.resolve("pack.pub"))).valid()).isTrue();
        System.out.printf("EVIDENCE PACK BENCHMARK: tenant with %d events (%d requests) over %d days, %d events in"
                        + " the table; seeding %d ms; facts %d ms; zip (html, pdf, json, csv, signed manifest) %d ms,"
                        + " %d bytes; total %d ms%n", totals.events(), totals.requests(), DAYS, 10L * REQUESTS, seedMs,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, zip.size(), (t2 - t0) / 1_000_000);
    }

    /**
     * {@link #REQUESTS} requests, each a paired request and response, spread evenly over the quarter: 1% policy
     * writes, 1% failed logins, 3% denied reads, 1% lists, the rest reads of 200 secrets by 20 actors.
     */
    private static void seed(EvidenceDatabase db, String tenant, Instant from) throws Exception {
        long stepMicros = Duration.ofDays(DAYS).toNanos() / 1000 / REQUESTS;
        db.execute("INSERT INTO audit_event (event_id, event_time, tenant_id, tenant_source, type, request_id,"
                + " operation, path, secret_path, outcome, actor_entity_id, actor_display_name, remote_address,"
                + " pairing_status, detail)"
                + " SELECT gen_random_uuid(), r.ts + CASE WHEN t.type = 'response' THEN interval '3 ms' ELSE interval"
                + " '0' END, '" + tenant + "', 'metadata', t.type, 'req-' || r.i, r.op, r.path,"
                + " CASE WHEN r.path LIKE 'secret/data/%' THEN 'secret/' || substr(r.path, 13)"
                + " WHEN r.path LIKE 'secret/metadata/%' THEN 'secret/' || substr(r.path, 17) ELSE r.path END,"
                + " r.outcome, 'e-' || (r.i % 20), 'user-' || (r.i % 20), '10.0.' || (r.i % 20) || '.1', 'paired',"
                + " '{\"schema\":1,\"actor\":{\"policies\":[\"default\",\"app\"]}}'::json"
                + " FROM (SELECT i, timestamptz '" + from + "' + i * interval '" + stepMicros + " microseconds' AS ts,"
                + " CASE WHEN i % 100 IN (0, 1) THEN 'update' WHEN i % 100 = 5 THEN 'list' ELSE 'read' END AS op,"
                + " CASE WHEN i % 100 = 0 THEN 'sys/policies/acl/p-' || (i % 7)"
                + " WHEN i % 100 = 1 THEN 'auth/userpass/login/u-' || (i % 50)"
                + " WHEN i % 100 = 5 THEN 'secret/metadata/tenants/" + tenant + "/'"
                + " ELSE 'secret/data/tenants/" + tenant + "/app-' || (i % 200) END AS path,"
                + " CASE WHEN i % 100 = 1 THEN 'error' WHEN i % 100 IN (2, 3, 4) THEN 'denied' ELSE 'ok' END AS outcome"
                + " FROM generate_series(0, " + (REQUESTS - 1) + ") i) r"
                + " CROSS JOIN (VALUES ('request'), ('response')) t(type)");
    }
}
