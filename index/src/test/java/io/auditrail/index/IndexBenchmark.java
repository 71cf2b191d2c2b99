package io.auditrail.index;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.event.Actor;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.event.RawPosition;
import io.auditrail.core.tenant.TenantSource;
import io.auditrail.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.postgresql.PGConnection;

/**
 * Rows/s into PostgreSQL through {@link EventRowWriter} (COPY to staging + insert-on-conflict-do-nothing, partition
 * checks) beside a raw COPY of the same rows straight into an identical audit_event in a second database (the
 * ceiling), batch by batch alternately on one private server; then the auditor's first-page query over the written
 * days, and EXPLAIN of the three indexed queries. Not a test: run with
 * {@code mvn -q -pl index -am test-compile exec:java}-less, i.e. the command in bench/RESULTS.md.
 *
 * <p>Arguments: rows (default 3,000,000), days (90), tenants (50), batch (5000).
 */
public final class IndexBenchmark {
    private IndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 90;
        int tenants = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        Path dir = Files.createTempDirectory("auditrail-index-bench-");
        // fsync on, as a production server runs (zonky's default is off)
        try (EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir)
                .withServerConfig(Map.of("fsync", "on", "shared_buffers", "512MB", "max_wal_size", "4GB")))
                .start()) {
            String base = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE bench_writer");
                s.execute("CREATE DATABASE bench_copy");
            }
            Instant end = LocalDate.now().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            Instant start = end.minus(Duration.ofDays(days));
            try (HikariDataSource writerDb = ds(base + "bench_writer", pg.username());
                 HikariDataSource copyDb = ds(base + "bench_copy", pg.username())) {
                for (HikariDataSource d : List.of(writerDb, copyDb)) {
                    Migrations.migrate(d);
                    try (Connection c = d.getConnection()) {
                        c.setAutoCommit(false);
                        var all = new java.util.TreeSet<LocalDate>();
                        for (LocalDate day = EventPartition.dayOf(start); !day.isAfter(EventPartition.dayOf(end));
                             day = day.plusDays(1)) {
                            all.add(day);
                        }
                        EventRowWriter.createPartitions(c, all);
                        c.commit();
                    }
                }
                // an experiment on the ceiling's table alone, e.g. BENCH_CEILING_DDL="DROP INDEX audit_event_actor_time"
                String ddl = System.getenv().getOrDefault("BENCH_CEILING_DDL", "");
                if (!ddl.isBlank()) {
                    try (Connection c = copyDb.getConnection(); Statement s = c.createStatement()) {
                        for (String one : ddl.split(";")) {
                            s.execute(one);
                        }
                    }
                    System.out.println("ceiling table changed: " + ddl);
                }
                EventRowWriter writer = new EventRowWriter(writerDb, Integer.parseInt(
                        System.getenv().getOrDefault("BENCH_WRITER_CONNECTIONS", "2")));
                Random random = new Random(42);
                long writerNanos = 0;
                long copyNanos = 0;
                long written = 0;
                System.out.printf("rows=%d days=%d tenants=%d batch=%d%n", rows, days, tenants, batch);
                for (int done = 0; done < rows; done += batch) {
                    List<EventRow> chunk = generate(random, done, Math.min(batch, rows - done), start, end, tenants);
                    long t0 = System.nanoTime();
                    written += writer.write(chunk).inserted();
                    long t1 = System.nanoTime();
                    rawCopy(copyDb, chunk, CEILING_THREADS);
                    long t2 = System.nanoTime();
                    writerNanos += t1 - t0;
                    copyNanos += t2 - t1;
                    if ((done / batch) % 100 == 0) {
                        System.out.printf("  %,d rows%n", done + chunk.size());
                    }
                }
                System.out.printf("writer   : %,d rows in %.1f s = %,.0f rows/s%n", written, writerNanos / 1e9,
                        written / (writerNanos / 1e9));
                System.out.printf("raw COPY : %,d rows in %.1f s = %,.0f rows/s (ceiling)%n", rows, copyNanos / 1e9,
                        rows / (copyNanos / 1e9));
                System.out.printf("writer / ceiling = %.0f%%%n", 100.0 * copyNanos / writerNanos);
                long topUp = Long.parseLong(System.getenv().getOrDefault("BENCH_TOPUP_ROWS", "0"));
                if (topUp > 0) {
                    topUp(writerDb, topUp, start, end);
                }
                try (Connection c = writerDb.getConnection(); Statement s = c.createStatement()) {
                    s.execute("VACUUM ANALYZE audit_event");
                    print(s, "SELECT pg_size_pretty(sum(pg_relation_size(inhrelid))) AS heap, "
                            + "pg_size_pretty(sum(pg_indexes_size(inhrelid))) AS indexes, count(*) AS partitions "
                            + "FROM pg_inherits WHERE inhparent = 'audit_event'::regclass");
                    queries(c, start, end, tenants);
                }
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Grows the table to query latency's volume (tens of millions of rows) faster than the writer could: copies of the
     * rows the writer wrote, each with a new id and a new random time in the period, inserted by the server itself.
     * Only for the query measurement; the rows/s figures above come from the writer and the ceiling alone.
     */
    private static void topUp(HikariDataSource ds, long rows, Instant start, Instant end) throws Exception {
        List<String> select = new ArrayList<>();
        for (String col : EventRow.COLUMNS) {
            select.add(switch (col) {
                case "event_id" -> "gen_random_uuid()";
                case "event_time" -> "timestamptz '" + start + "' + random() * interval '"
                        + Duration.between(start, end).toSeconds() + " seconds'";
                default -> col;
            });
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE sample AS SELECT * FROM audit_event");
            long sample;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sample")) {
                rs.next();
                sample = rs.getLong(1);
            }
            long reps = Math.max(1, 1_000_000 / sample);
            long added = 0;
            long t0 = System.nanoTime();
            while (added < rows) {
                added += s.executeUpdate("INSERT INTO audit_event (" + String.join(", ", EventRow.COLUMNS) + ") SELECT "
                        + String.join(", ", select) + " FROM sample CROSS JOIN generate_series(1, " + reps + ")");
                System.out.printf("  topped up %,d rows (%,.0f rows/s)%n", added, added / ((System.nanoTime() - t0) / 1e9));
            }
        }
    }

    private static void queries(Connection c, Instant start, Instant end, int tenants) throws Exception {
        String page = "SELECT event_id, event_time, operation, path, outcome, actor_display_name FROM audit_event "
                + "WHERE tenant_id = ? AND event_time >= ? AND event_time < ? "
                + "ORDER BY event_time DESC, event_id DESC LIMIT 100";
        long[] nanos = new long[500];
        Random r = new Random(1);
        try (PreparedStatement ps = c.prepareStatement(page)) {
            for (int i = 0; i < nanos.length; i++) {
                ps.setString(1, "tenant-" + r.nextInt(tenants));
                ps.setObject(2, java.time.OffsetDateTime.ofInstant(start, java.time.ZoneOffset.UTC));
                ps.setObject(3, java.time.OffsetDateTime.ofInstant(end.plus(Duration.ofDays(1)),
                        java.time.ZoneOffset.UTC));
                long t0 = System.nanoTime();
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                    }
                }
                nanos[i] = System.nanoTime() - t0;
                if (n != 100) {
                    throw new IllegalStateException("first page had " + n + " rows");
                }
            }
        }
        Arrays.sort(nanos);
        System.out.printf("first page of one tenant over %s..%s (500 runs): p50 %.2f ms, p99 %.2f ms%n",
                start, end, nanos[250] / 1e6, nanos[495] / 1e6);
        try (Statement s = c.createStatement()) {
            String range = " AND event_time >= '" + start + "' AND event_time < '" + end.plus(Duration.ofDays(1))
                    + "'";
            explain(s, "SELECT event_id, event_time, path FROM audit_event WHERE tenant_id = 'tenant-7'" + range
                    + " ORDER BY event_time DESC, event_id DESC LIMIT 100");
            explain(s, "SELECT event_id, event_time, path FROM audit_event WHERE actor_entity_id = 'entity-7-3'"
                    + range + " ORDER BY event_time DESC LIMIT 100");
            explain(s, "SELECT event_id, event_time, path FROM audit_event WHERE tenant_id = 'tenant-7' "
                    + "AND path LIKE 'secret/data/tenants/tenant-7/app-1%'" + range
                    + " ORDER BY event_time DESC LIMIT 100");
            explain(s, "SELECT count(*) FROM audit_event WHERE path LIKE 'secret/data/tenants/tenant-7/app-12/%'");
        }
    }

    private static void explain(Statement s, String sql) throws Exception {
        System.out.println("\nEXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql);
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        // one sub-plan per day partition: the first two show the shape, the summary the cost
        int head = Math.min(lines.size(), 16);
        lines.subList(0, head).forEach(l -> System.out.println("  " + l));
        if (lines.size() > head + 3) {
            System.out.println("  ... (" + (lines.size() - head - 3) + " more lines: the same per partition)");
        }
        lines.subList(Math.max(head, lines.size() - 3), lines.size()).forEach(l -> System.out.println("  " + l));
    }

    private static void print(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            System.out.printf("audit_event: heap %s, indexes %s, %s partitions%n", rs.getString(1), rs.getString(2),
                    rs.getString(3));
        }
    }

    private static final int CEILING_THREADS = Integer.parseInt(System.getenv().getOrDefault("BENCH_CEILING_THREADS",
            "1"));

    /** The ceiling with {@code threads} connections, each COPYing its slice of the batch at the same time. */
    private static void rawCopy(HikariDataSource ds, List<EventRow> rows, int threads) throws Exception {
        if (threads == 1) {
            rawCopy(ds, rows);
            return;
        }
        List<Thread> running = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        int slice = (rows.size() + threads - 1) / threads;
        for (int from = 0; from < rows.size(); from += slice) {
            List<EventRow> part = rows.subList(from, Math.min(rows.size(), from + slice));
            Thread t = new Thread(() -> {
                try {
                    rawCopy(ds, part);
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            t.start();
            running.add(t);
        }
        for (Thread t : running) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static void rawCopy(HikariDataSource ds, List<EventRow> rows) throws Exception {
        StringBuilder b = new StringBuilder(rows.size() * 600);
        for (EventRow r : rows) {
            r.appendCopy(b);
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY audit_event (" + String.join(", ",
                    EventRow.COLUMNS) + ") FROM STDIN", new ByteArrayInputStream(b.toString()
                    .getBytes(StandardCharsets.UTF_8)), 1 << 16);
            c.commit();
        }
    }

    private static final String[] OPS = {"read", "read", "read", "list", "update", "create", "delete"};

    /** Realistic shapes: 50 tenants, 20 actors each, 200 secrets each, 5% denied, 10% platform events. */
    static List<EventRow> generate(Random r, int first, int n, Instant start, Instant end, int tenants)
            throws RowRejected {
        List<EventRow> out = new ArrayList<>(n);
        long span = end.toEpochMilli() - start.toEpochMilli();
        for (int i = 0; i < n; i++) {
            int t = r.nextInt(tenants);
            boolean platform = r.nextInt(10) == 0;
            String tenant = platform ? null : "tenant-" + t;
            String path = platform ? "sys/health" : "secret/data/tenants/" + tenant + "/app-" + r.nextInt(200)
                    + "/db";
            Instant time = start.plusMillis((long) (r.nextDouble() * span)).plusNanos(r.nextInt(1_000_000));
            String id = new java.util.UUID(r.nextLong(), r.nextLong()).toString();
            boolean denied = r.nextInt(20) == 0;
            AuditEvent e = new AuditEvent(1, id, "req-" + (first + i), r.nextBoolean() ? "request" : "response", time,
                    tenant, platform ? TenantSource.NONE : TenantSource.METADATA, tenant, tenant,
                    OPS[r.nextInt(OPS.length)], path, path.replace("/data/", "/"), "kv", "secret/", null,
                    denied ? Outcome.DENIED : Outcome.OK, denied ? "permission denied" : null,
                    new Actor("entity-" + t + "-" + r.nextInt(20), "approle-app-" + r.nextInt(20),
                            List.of("default", "tenant-" + t + "-read"), "service", 3600L,
                            "hmac-sha256:" + Long.toHexString(r.nextLong()), "10.1." + t + "." + r.nextInt(250),
                            40000 + r.nextInt(20000)),
                    null, null, List.of(), new RawPosition(r.nextInt(3), first + i));
            out.add(EventRow.of(new PairedEvent(e, Pairing.of(PairingStatus.PAIRED))));
        }
        return out;
    }

    private static HikariDataSource ds(String url, String user) {
        return new PostgresSettings(url, user, "", 4, Duration.ofSeconds(5), Duration.ofMinutes(5)).pool("bench");
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
