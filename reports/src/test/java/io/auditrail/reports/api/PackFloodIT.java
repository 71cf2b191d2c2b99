package io.auditrail.reports.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.reports.evidence.EvidenceConfig;
import io.auditrail.reports.limit.WorkKind;
import io.auditrail.reports.testing.HttpCalls;
import io.auditrail.reports.testing.HttpCalls.Answer;
import io.auditrail.reports.testing.ReportsFixture;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Role;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, item 1: any token could ask for as many evidence packs at once as it liked; each held a pooled
 * connection for its whole build, so parallel packs took every connection and every call, meta-audit writes
 * included, turned 500. From the outside, with a pack held mid-build (the test locks a table the pack reads):
 * the same token's next packs are answered 429 with Retry-After at once, the server's packs in all are bounded, and
 * other tenants' searches and summaries, and every meta-audit row, go through meanwhile. A pack's work is bounded
 * too: rows per section, and the meta-audit counted per day and route however many calls were made.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class PackFloodIT {
    private static final int MAX_ROWS = 100;

    private ReportsFixture fixture;
    private ReportsApi api;
    private Javalin server;
    private HttpCalls http;
    private Instant now;
    private CreatedToken acmeAuditor;
    private CreatedToken globexAuditor;
    private CreatedToken admin;

    @BeforeAll
    void start(EmbeddedPostgres pg, EmbeddedS3 s3) throws Exception {
        fixture = ReportsFixture.create(pg, s3, Files.createTempDirectory("pack-flood-"));
        now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<ReportsFixture.Event> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(new ReportsFixture.Event(UUID.randomUUID(), now.minusSeconds(60 + i), "acme", "read",
                    "secret/data/tenants/acme/db", "ok", "entity-a", "alice", null, null));
            events.add(new ReportsFixture.Event(UUID.randomUUID(), now.minusSeconds(60 + i), "globex", "read",
                    "secret/data/tenants/globex/db", "ok", "entity-g", "gina", null, null));
        }
        // more denials than one pack may hold: globex's pack of the last day must be refused, not built
        for (int i = 0; i < MAX_ROWS + 1; i++) {
            events.add(new ReportsFixture.Event(UUID.randomUUID(), now.minusSeconds(30 + i), "initech", "read",
                    "secret/data/tenants/initech/x", "denied", "entity-i", "ivan", null, null));
        }
        fixture.insert(events);
        Settings settings = fixture.settings.with(Map.of(
                ReportsConfig.POSTGRES_POOL_SIZE, "4",
                ReportsConfig.POSTGRES_CONNECT_TIMEOUT_MS, "2000",
                ReportsConfig.LIMIT_PACK_PER_TOKEN, "1",
                ReportsConfig.LIMIT_PACK_TOTAL, "2",
                ReportsConfig.LIMIT_REFUSED_PER_MINUTE, "3",
                EvidenceConfig.MAX_ROWS, Integer.toString(MAX_ROWS)));
        api = ReportsApi.open(settings, new SimpleMeterRegistry());
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            api.routes(cfg.routes);
        }).start("127.0.0.1", 0);
        http = new HttpCalls("http://127.0.0.1:" + server.port());
        acmeAuditor = api.tokens().create("acme auditor", Role.AUDITOR, Set.of("acme"), Duration.ofHours(1), "cli");
        globexAuditor = api.tokens().create("globex auditor", Role.AUDITOR, Set.of("globex"), Duration.ofHours(1),
                "cli");
        admin = api.tokens().create("admin", Role.ADMIN, Set.of(), Duration.ofHours(1), "cli");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (api != null) {
            api.close();
        }
    }

    private String pack(String tenant) {
        return "/api/v1/reports/soc2?tenant=" + tenant + "&format=json&from=" + now.minus(Duration.ofDays(1))
                + "&to=" + now.plus(Duration.ofHours(1));
    }

    @Test
    void aTokensConcurrentPacksGet429WhileOtherTenantsCallsKeepWorking() throws Exception {
        long throttledBefore = fixture.count("SELECT COALESCE(sum(calls), 0) FROM meta_audit "
                + "WHERE outcome = 'throttled'");
        CompletableFuture<Answer> held;
        CompletableFuture<Answer> globexHeld;
        try (Connection lock = DriverManager.getConnection(fixture.jdbcUrl, fixture.user, "");
             Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            // every pack reads event_partition (retention facts): with it locked, a pack stays mid-build, holding
            // its connection, until the lock goes
            st.execute("LOCK TABLE event_partition IN ACCESS EXCLUSIVE MODE");
            held = CompletableFuture.supplyAsync(() -> call(pack("acme"), acmeAuditor));
            await().atMost(Duration.ofSeconds(20)).until(() -> packsWaitingOnTheLock() == 1);

            // the same token again, five times at once: 429 at once, with a Retry-After, not a wait for a connection
            List<CompletableFuture<Answer>> again = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                again.add(CompletableFuture.supplyAsync(() -> callWithin(pack("acme"), acmeAuditor, 10)));
            }
            for (CompletableFuture<Answer> f : again) {
                Answer a = f.get(20, TimeUnit.SECONDS);
                assertThat(a.status()).isEqualTo(429);
                assertThat(Long.parseLong(a.header("Retry-After"))).isBetween(1L, 120L);
                assertThat(a.json().path("error").path("reason").asText()).contains("reports.limit.pack.per.token");
            }

            // another tenant's pack takes the server's second slot; a third pack, from anyone, is 429 too
            globexHeld = CompletableFuture.supplyAsync(() -> call(pack("globex"), globexAuditor));
            await().atMost(Duration.ofSeconds(20)).until(() -> packsWaitingOnTheLock() == 2);
            assertThat(api.limits().running(WorkKind.PACK)).isEqualTo(2);
            Answer third = callWithin(pack("acme"), admin, 10);
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.json().path("error").path("reason").asText()).contains("reports.limit.pack.total");

            // meanwhile other tenants' searches and summaries answer, and promptly
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                Answer search = callWithin("/api/v1/tenants/globex/events?limit=10", globexAuditor, 10);
                Answer summary = callWithin("/api/v1/tenants/globex/summary", globexAuditor, 10);
                assertThat(search.status()).isEqualTo(200);
                assertThat(search.json().path("events")).hasSize(10);
                assertThat(summary.status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            }
            assertThat(held).isNotDone();
            lock.commit();
        }
        assertThat(held.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(globexHeld.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        // every refusal recorded, under the tenant it asked for: a token's first three one by one
        // (reports.limit.refused.per.minute), the rest in one summary row, so a retry loop costs no row per call
        api.flushRefusals();
        assertThat(fixture.count("SELECT count(*) FROM meta_audit WHERE outcome = 'throttled' AND token_id = ? "
                + "AND tenant_ids = ARRAY['acme'] AND calls = 1", acmeAuditor.tokenId())).isEqualTo(3);
        assertThat(fixture.count("SELECT sum(calls) FROM meta_audit WHERE outcome = 'throttled' AND token_id = ? "
                + "AND tenant_ids = ARRAY['acme']", acmeAuditor.tokenId())).isEqualTo(5);
        assertThat(fixture.count("SELECT sum(calls) FROM meta_audit WHERE outcome = 'throttled' AND status = 429")
                - throttledBefore).isEqualTo(6);
        // with the lock gone, the token may build its next pack
        assertThat(call(pack("acme"), acmeAuditor).status()).isEqualTo(200);
    }

    @Test
    void aPackLoadsBoundedRowsAndCountsAFloodOfCallsInOneRow() throws Exception {
        // 300 searches by one token are 300 meta-audit rows; the pack counts them in one row of its meta-audit
        CreatedToken busy = api.tokens().create("busy", Role.AUDITOR, Set.of("globex"), Duration.ofHours(1), "cli");
        for (int i = 0; i < 300; i++) {
            assertThat(call("/api/v1/tenants/globex/events?limit=1", busy).status()).isEqualTo(200);
        }
        Answer pack = call(pack("globex"), admin);
        assertThat(pack.status()).isEqualTo(200);
        var busyRows = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        pack.json().path("facts").path("meta_audit").forEach(r -> {
            if (r.path("token_id").asText().equals(busy.tokenId())) {
                busyRows.add(r);
            }
        });
        assertThat(busyRows).singleElement().satisfies(r -> {
            assertThat(r.path("calls").asLong()).isEqualTo(300);
            assertThat(r.path("route").asText()).isEqualTo("/api/v1/tenants/{tenant}/events");
        });

        // a period holding more denials than a pack may: refused, naming the setting, instead of loaded into memory
        Answer tooLarge = call(pack("initech"), admin);
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.json().path("error").path("reason").asText()).startsWith("to:")
                .contains("more than " + MAX_ROWS + " denials", EvidenceConfig.MAX_ROWS);
    }

    /**
     * Lock requests waiting in this database: the packs held by the test's lock (pg_locks, which every role may read;
     * pg_stat_activity hides other roles' waits, and the packs run as serve's role).
     */
    private long packsWaitingOnTheLock() throws Exception {
        return fixture.count("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                + "WHERE NOT l.granted AND d.datname = current_database()");
    }

    private Answer call(String path, CreatedToken token) {
        return callWithin(path, token, 60);
    }

    private Answer callWithin(String path, CreatedToken token, int seconds) {
        try {
            return http.get(path, HttpCalls.bearer(token.bearer()), Duration.ofSeconds(seconds));
        } catch (HttpTimeoutException e) {
            throw new AssertionError(path + " did not answer within " + seconds + " s", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
