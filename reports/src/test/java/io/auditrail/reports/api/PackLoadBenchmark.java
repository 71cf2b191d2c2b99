package io.auditrail.reports.api;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.index.DatabaseRoles;
import io.auditrail.index.EventPartition;
import io.auditrail.index.Migrations;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Role;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Latency of another tenant's calls while evidence packs are being built (issue 17, item 1; bench/RESULTS.md,
 * "Reports"): one server, one database seeded with a large tenant and a small one; tenant {@code other}'s auditor
 * makes first-page searches and summaries one after another, first alone, then while {@code big}'s tokens ask for
 * 90-day packs again and again (at once after a 429, ignoring Retry-After, or 100 ms later), with the shipped bounds
 * and with the bounds opened up (packs as unbounded as before them), all in one run so the ratios compare. Not a test: run with
 * {@code bash reports/bench/run.sh}.
 *
 * <p>Arguments: events of the big tenant (default 300,000), seconds per phase (30), attacking threads (8).
 */
public final class PackLoadBenchmark {
    private PackLoadBenchmark() {
    }

    /** @param pauseMs how long an attacker waits after a 429 before asking again (0: at once, ignoring Retry-After) */
    private record Phase(String name, Map<String, String> settings, int attackers, boolean oneToken, long pauseMs) {
    }

    public static void main(String[] args) throws Exception {
        int bigEvents = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int attackers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path dir = Files.createTempDirectory("auditrail-pack-bench-");
        try (EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir.resolve("pg"))).start();
             EmbeddedS3 s3 = new EmbeddedS3(EmbeddedS3.Config.of(dir.resolve("s3"))).start()) {
            Settings base = seed(pg, s3, dir, bigEvents);
            Map<String, String> open = Map.of(ReportsConfig.LIMIT_PACK_PER_TOKEN, "16", ReportsConfig.LIMIT_PACK_TOTAL,
                    "16", ReportsConfig.POSTGRES_POOL_SIZE, "17");
            List<Phase> phases = List.of(
                    new Phase("alone", Map.of(), 0, true, 0),
                    new Phase("bounded, 1 token, " + attackers + " loops, no pause", Map.of(), attackers, true, 0),
                    new Phase("bounded, " + attackers + " tokens, no pause", Map.of(), attackers, false, 0),
                    new Phase("bounded, " + attackers + " tokens, 100 ms after a 429", Map.of(), attackers, false,
                            100),
                    new Phase("bounds opened, " + attackers + " tokens", open, attackers, false, 100));
            System.out.printf(Locale.ROOT, "# %s nproc=%d big=%d events, %d s per phase, %d attackers%n",
                    Instant.now(), Runtime.getRuntime().availableProcessors(), bigEvents, seconds, attackers);
            System.out.println("| phase | other's calls | p50 ms | p99 ms | max ms | failed | packs built | packs 429 |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (Phase p : phases) {
                run(base.with(p.settings()), p, seconds);
            }
        }
    }

    private static void run(Settings settings, Phase phase, int seconds) throws Exception {
        try (ReportsApi api = ReportsApi.open(settings, new SimpleMeterRegistry())) {
            Javalin server = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                api.routes(cfg.routes);
            }).start("127.0.0.1", 0);
            try {
                String url = "http://127.0.0.1:" + server.port() + "/api/v1";
                CreatedToken other = api.tokens().create("other", Role.AUDITOR, Set.of("other"), Duration.ofHours(2),
                        "cli");
                List<CreatedToken> big = new ArrayList<>();
                for (int i = 0; i < (phase.oneToken() ? 1 : phase.attackers()); i++) {
                    big.add(api.tokens().create("big " + i, Role.AUDITOR, Set.of("big"), Duration.ofHours(2), "cli"));
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                Instant to = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                String pack = url + "/reports/soc2?tenant=big&format=zip&from=" + to.minus(Duration.ofDays(90))
                        + "&to=" + to;
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong built = new AtomicLong();
                AtomicLong refused = new AtomicLong();
                ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, phase.attackers()));
                for (int i = 0; i < phase.attackers(); i++) {
                    CreatedToken t = big.get(i % big.size());
                    pool.submit(() -> {
                        while (!stop.get()) {
                            int status = status(http, pack, t);
                            (status == 200 ? built : refused).incrementAndGet();
                            if (status != 200 && phase.pauseMs() > 0) {
                                Thread.sleep(phase.pauseMs());
                            }
                        }
                        return null;
                    });
                }
                List<Long> micros = new ArrayList<>();
                Map<Integer, Long> failed = new ConcurrentHashMap<>();
                long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                int i = 0;
                while (System.nanoTime() < end) {
                    String call = (i++ % 2 == 0) ? url + "/tenants/other/events?limit=100"
                            : url + "/tenants/other/summary";
                    long t0 = System.nanoTime();
                    int status = status(http, call, other);
                    micros.add((System.nanoTime() - t0) / 1000);
                    if (status != 200) {
                        failed.merge(status, 1L, Long::sum);
                    }
                }
                stop.set(true);
                pool.shutdown();
                pool.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
                List<Long> sorted = micros.stream().sorted().toList();
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %s | %d | %d |%n", phase.name(),
                        sorted.size(), sorted.get(sorted.size() / 2) / 1000.0,
                        sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.99))) / 1000.0,
                        sorted.get(sorted.size() - 1) / 1000.0, failed.isEmpty() ? "0" : failed.toString(),
                        built.get(), refused.get());
            } finally {
                server.stop();
            }
        }
    }

    private static int status(HttpClient http, String url, CreatedToken token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + token.bearer()).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1; // a refused or timed-out connection counts as a failed call
        }
    }

    /** A migrated database: 91 day partitions, the big tenant's events over 90 days, 20,000 of the other's. */
    private static Settings seed(EmbeddedPostgres pg, EmbeddedS3 s3, Path dir, int bigEvents) throws Exception {
        DatabaseRoles.ALL.forEach(pg::ensureLoginRole);
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setURL(pg.jdbcUrl());
        owner.setUser(pg.username());
        Migrations.migrate(owner);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "");
             Statement s = c.createStatement()) {
            for (int d = -90; d <= 1; d++) {
                EventPartition p = new EventPartition(today.plusDays(d));
                s.execute("SELECT create_event_partition('" + p.day() + "')");
            }
            for (String[] t : new String[][] {{"big", Integer.toString(bigEvents)}, {"other", "20000"}}) {
                s.execute("INSERT INTO audit_event (event_id, event_time, tenant_id, tenant_source, type, request_id,"
                        + " operation, path, secret_path, outcome, actor_entity_id, actor_display_name, remote_address,"
                        + " pairing_status, detail) SELECT gen_random_uuid(), now() - (i * interval '90 days' / "
                        + t[1] + "), '" + t[0] + "', 'metadata', CASE WHEN i % 2 = 0 THEN 'request' ELSE 'response' END,"
                        + " 'r-' || (i / 2), CASE WHEN i % 7 = 0 THEN 'list' ELSE 'read' END,"
                        + " 'secret/data/tenants/" + t[0] + "/app-' || (i % 200),"
                        + " 'secret/tenants/" + t[0] + "/app-' || (i % 200),"
                        + " CASE WHEN i % 50 = 0 THEN 'denied' ELSE 'ok' END, 'entity-' || (i % 40), 'user-' || (i % 40),"
                        + " '10.0.0.' || (i % 200), 'paired', '{\"schema\":1}' FROM generate_series(1, " + t[1] + ") i");
            }
            s.execute("ANALYZE");
        }
        String bucket = "bench-archive";
        s3.ensureBucket(bucket);
        ArchiveKeys.generate(dir.resolve("archive.key"), dir.resolve("archive.pub"));
        Map<String, String> m = new HashMap<>();
        m.put(CoreConfig.POSTGRES_URL, pg.jdbcUrl());
        m.put(CoreConfig.POSTGRES_USER, pg.username());
        m.put(ReportsConfig.POSTGRES_USER, DatabaseRoles.SERVE);
        m.put(CoreConfig.S3_ENDPOINT, s3.endpoint().toString());
        m.put(CoreConfig.S3_ACCESS_KEY, s3.accessKey());
        m.put(CoreConfig.S3_SECRET_KEY, s3.secretKey());
        m.put(CoreConfig.S3_REGION, s3.region());
        m.put(CoreConfig.S3_BUCKET, bucket);
        m.put(ArchiveConfig.SIGNING_KEY_FILE, dir.resolve("archive.key").toString());
        m.put(ArchiveConfig.PUBLIC_KEY_FILE, dir.resolve("archive.pub").toString());
        return Settings.of(m);
    }
}
