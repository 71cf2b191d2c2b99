package io.auditrail.bench.multiproc;

import static io.auditrail.bench.multiproc.Bench.out;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end peer of issue 19: the simplest pipeline a user would build instead of auditrail, rsyslog's
 * {@code imtcp} into {@code ompgsql} (Debian's {@code rsyslog-pgsql}) writing each line, unchanged, as a JSON value
 * into one PostgreSQL table, in batched transactions (ompgsql's BEGIN ... COMMIT around each dequeued batch). Same
 * PostgreSQL server as auditrail's benchmarks (module embedded, as dev mode starts it), same traffic: the simulator's
 * unpaced plan over three Vault-like connections, as the multi-process benchmark's maximum-rate phase (seed 43).
 * Arguments as key=value: lines (200000), batch (1000, rsyslog's dequeue batch = one transaction), column (json or
 * jsonb), tenants (8), seed (43). Exit 1 when the table does not hold every line once.
 */
public final class PeerPipeline {
    private PeerPipeline() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("lines", "200000", "batch", "1000", "column", "json",
                "tenants", "8", "seed", "43", "rsyslogd", "rsyslogd"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !a.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + a.keySet());
            }
            a.put(kv[0], kv[1]);
        }
        String work = System.getenv().getOrDefault("WORK", System.getProperty("java.io.tmpdir"));
        Files.createDirectories(Path.of(work));
        Path dir = Files.createTempDirectory(Path.of(work), "peer-");
        boolean pass;
        try {
            pass = run(dir, Long.parseLong(a.get("lines")), Integer.parseInt(a.get("batch")), a.get("column"),
                    Integer.parseInt(a.get("tenants")), Long.parseLong(a.get("seed")), a.get("rsyslogd"));
        } finally {
            if (System.getenv("KEEP_WORK") != null) {
                out("kept %s", dir);
            } else {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        System.exit(pass ? 0 : 1);
    }

    private static boolean run(Path dir, long lines, int batch, String column, int tenants, long seed,
                               String rsyslogd) throws Exception {
        out("# peer rsyslog imtcp -> ompgsql, %,d lines, batch %d, column %s, load at start %.2f", lines, batch, column,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir.resolve("postgres"))).start();
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE vault_audit (received_at timestamptz NOT NULL DEFAULT now(), line " + column
                    + " NOT NULL)");
            int port = Deployment.freePort();
            Path conf = dir.resolve("rsyslog.conf");
            Files.createDirectories(dir.resolve("work"));
            Files.writeString(conf, config(dir, port, pg.port(), pg.database(), pg.username(), batch));
            Path log = dir.resolve("rsyslog.log");
            // rsyslogd runs on past a config error (dropping the action): check the config first
            Process check = new ProcessBuilder(rsyslogd, "-N1", "-f", conf.toString()).redirectErrorStream(true).start();
            String checked = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (check.waitFor() != 0 || checked.contains("error")) {
                throw new IllegalStateException("rsyslog refuses the config: " + checked);
            }
            LaunchedProcess rsyslog = new LaunchedProcess("rsyslog", List.of(rsyslogd, "-n", "-f", conf.toString(),
                    "-i", dir.resolve("rsyslogd.pid").toString()), Map.of(), log, 0).start();
            try {
                awaitListening(port, rsyslog, log);
                long pgPid = Long.parseLong(Files.readAllLines(pg.dataDir().resolve("pgdata/postmaster.pid")).get(0)
                        .trim());
                ProcStat r0 = ProcStat.of(rsyslog.pid());
                ProcStat p0 = ProcStat.tree(pgPid);
                SimulationPlan plan = SimulationPlan.unpaced("127.0.0.1", port, lines, tenants, seed);
                long t0 = System.nanoTime();
                SimulationReport report = new Simulator().run(plan, null);
                double sendSeconds = (System.nanoTime() - t0) / 1e9;
                long rows = 0;
                long last = -1;
                long lastChange = System.nanoTime();
                double done = Double.NaN;
                while (System.nanoTime() - lastChange < 30_000_000_000L) {
                    rows = count(st, "SELECT count(*) FROM vault_audit");
                    if (rows >= report.linesSent()) {
                        done = (System.nanoTime() - t0) / 1e9;
                        break;
                    }
                    if (rows != last) {
                        last = rows;
                        lastChange = System.nanoTime();
                    }
                    Thread.sleep(100);
                }
                ProcStat r1 = ProcStat.of(rsyslog.pid());
                ProcStat p1 = ProcStat.tree(pgPid);
                long distinct = count(st, "SELECT count(DISTINCT (line->'request'->>'id', line->>'type')) "
                        + "FROM vault_audit");
                double rsyslogCpu = (r1.cpuTicks() - r0.cpuTicks()) / 100.0;
                double pgCpu = (p1.cpuTicks() - p0.cpuTicks()) / 100.0;
                out("simulator: %,d lines sent (%,d failed) in %.2f s = %,.0f lines/s into rsyslog", report.linesSent(),
                        report.linesFailed(), sendSeconds, report.linesSent() / sendSeconds);
                out("");
                out("| peer | lines | all in the table after (s) | lines/s end to end | rsyslogd CPU µs/line | "
                        + "PostgreSQL CPU µs/line | rows | distinct (request id, type) |");
                out("|---|---|---|---|---|---|---|---|");
                out("| rsyslog imtcp -> ompgsql (batch %d, %s) | %,d | %.2f | %,.0f | %.1f | %.1f | %,d | %,d |", batch,
                        column, report.linesSent(), done, report.linesSent() / done,
                        rsyslogCpu * 1e6 / report.linesSent(), pgCpu * 1e6 / report.linesSent(), rows, distinct);
                boolean pass = rows == report.linesSent() && distinct == rows;
                out("%s: every line written is one row", pass ? "PASS" : "FAIL");
                return pass;
            } finally {
                rsyslog.stop();
            }
        }
    }

    /** rsyslog 8.2302's config: the line as received (%rawmsg%), quoted for standard SQL, into the table. */
    private static String config(Path dir, int port, int pgPort, String db, String user, int batch) {
        return String.join("\n",
                "$MaxMessageSize 64k",
                "global(workDirectory=\"" + dir.resolve("work") + "\")",
                "module(load=\"imtcp\" MaxSessions=\"100\")",
                "module(load=\"ompgsql\")",
                // stdsql doubles single quotes only: with standard_conforming_strings (on since 9.1) a backslash in
                // the JSON stays as it is
                "template(name=\"sqlline\" type=\"list\" option.stdsql=\"on\") {",
                "  constant(value=\"INSERT INTO vault_audit (line) VALUES ('\")",
                "  property(name=\"rawmsg\")",
                "  constant(value=\"')\")",
                "}",
                "ruleset(name=\"topg\") {",
                // rsyslog refuses whitespace in a parameter: the URI form of the connection string
                "  action(type=\"ompgsql\" conninfo=\"postgresql://" + user + "@127.0.0.1:" + pgPort + "/" + db
                        + "\" template=\"sqlline\"",
                "         queue.type=\"LinkedList\" queue.size=\"500000\" queue.dequeueBatchSize=\"" + batch + "\"",
                "         action.resumeRetryCount=\"-1\" action.resumeInterval=\"1\")",
                "}",
                "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\" ruleset=\"topg\")",
                "*.* action(type=\"omfile\" file=\"" + dir.resolve("internal.log") + "\")",
                "");
    }

    private static void awaitListening(int port, LaunchedProcess p, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.alive()) {
                throw new IllegalStateException("rsyslogd exited: " + Files.readString(log));
            }
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("rsyslogd not listening on " + port + ": " + Files.readString(log));
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
