package io.auditrail.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.app.AppConfig;
import io.auditrail.app.CliRun;
import io.auditrail.app.Main;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.streams.StreamsStageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairing in any order and on time, from the socket to the rows: Vault calls sent over several connections in
 * shuffled order (responses before their requests among them), then silence. Every line must become a row within the
 * pairing timeout, with no further traffic to move time on; {@code audit_gap} only for the requests that truly had no
 * response; {@code auditrail inspect} over the same lines, in any order, must say the same. Then the same with the
 * streams stage in a process of its own, killed -9 half-way and started again.
 */
class PairingInAnyOrderIT {
    private static final Duration PAIRING_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Settings settings() {
        return Settings.of(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "1000", ArchiveConfig.DIGEST_INTERVAL_MS, "2000",
                StreamsStageConfig.PAIRING_TIMEOUT_MS, Long.toString(PAIRING_TIMEOUT.toMillis())));
    }

    private static DevStack.Options options(Path dir) {
        return new DevStack.Options(dir, "127.0.0.1", 0, 0, 0, 0, 0, "auditrail-archive", settings());
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shuffledLinesOverThreeConnectionsThenSilenceAllBecomeRowsAndOnlyTrueGapsAreGaps(@TempDir Path dir)
            throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        ShuffledCalls calls = new ShuffledCalls(start, 150, 6, 4, 15);
        String last = calls.lastLoneRequest(Instant.now());
        Map<String, Long> live = Map.of();
        try (DevStack stack = DevStack.start(options(dir))) {
            int port = ingestPort(stack);
            ShuffledCalls.send(port, calls.lines, 3);
            // a lone request at the very end: nothing after it will ever move time on
            ShuffledCalls.send(port, List.of(last), 1);
            long lastWrite = System.nanoTime();

            try (Connection c = connect(stack.settings())) {
                awaitRows(c, calls.total(), lastWrite);
                assertThat(statuses(c)).isEqualTo(new TreeMap<>(calls.expectedStatus));
                assertOnlyTrueGaps(c, calls, lastWrite);
                live = anomaliesByRule(c);
                assertThat(live).containsEntry("audit_gap", 7L).containsEntry("cross_tenant_access", 6L)
                        .containsEntry("root_token_use", 4L);
            }
        }

        // inspect, offline, over the lines in the order sent, in file order, and in another shuffle
        List<String> all = new ArrayList<>(calls.lines);
        all.add(last);
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(null);
        for (List<String> order : List.of(all, sorted, reversed(all))) {
            Path file = Files.write(dir.resolve("audit-" + order.hashCode() + ".log"),
                    String.join("", order).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Inspected inspected = inspect(file);
            assertThat(inspected.statuses).isEqualTo(new TreeMap<>(calls.expectedStatus));
            assertThat(inspected.gapRequestIds).isEqualTo(new TreeSet<>(calls.unansweredRequestIds));
            assertThat(inspected.anomaliesByRule).as("inspect and the live topology").isEqualTo(live);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void streamsKilledHalfWayLosesNothingAndRaisesNoFalseGap(@TempDir Path dir) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        ShuffledCalls calls = new ShuffledCalls(start, 300, 5, 3, 16);
        try (DevStack stack = DevStack.start(options(dir), Set.of("streams"))) {
            int port = ingestPort(stack);
            Path state = dir.resolve("streams-state");
            List<String> first = calls.lines.subList(0, calls.lines.size() / 2);
            List<String> second = calls.lines.subList(calls.lines.size() / 2, calls.lines.size());
            try (Connection c = connect(stack.settings())) {
                Process streams = startStreams(stack.settings(), state, dir.resolve("streams-1.log"));
                try {
                    ShuffledCalls.send(port, first, 3);
                    // half-way: some events out (so some entries are waiting in the store), then kill -9
                    await().atMost(Duration.ofSeconds(90)).until(() -> count(c, "SELECT count(*) FROM audit_event") > 0);
                    ShuffledCalls.send(port, second.subList(0, second.size() / 2), 3);
                } finally {
                    streams.destroyForcibly();
                    streams.waitFor(30, TimeUnit.SECONDS);
                }
                long rowsAtKill = count(c, "SELECT count(*) FROM audit_event");
                ShuffledCalls.send(port, second.subList(second.size() / 2, second.size()), 3);
                ShuffledCalls.send(port, List.of(calls.lastLoneRequest(Instant.now())), 1);
                Process again = startStreams(stack.settings(), state, dir.resolve("streams-2.log"));
                try {
                    long lastWrite = System.nanoTime();
                    System.out.printf("PAIRING streams killed -9 with %d of %d rows indexed%n", rowsAtKill,
                            calls.total());
                    awaitRows(c, calls.total(), lastWrite);
                    assertThat(count(c, "SELECT count(DISTINCT event_id) FROM audit_event")).isEqualTo(calls.total());
                    assertThat(statuses(c)).isEqualTo(new TreeMap<>(calls.expectedStatus));
                    assertOnlyTrueGaps(c, calls, lastWrite);
                } finally {
                    again.destroy();
                    again.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Every line a row, with no traffic after the last write; prints how long it took. */
    private static void awaitRows(Connection c, int total, long lastWrite) {
        await().atMost(PAIRING_TIMEOUT.plusSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> count(c, "SELECT count(*) FROM audit_event") == total);
        System.out.printf("PAIRING all %d lines indexed %.1f s after the last write (pairing timeout %d s)%n", total,
                (System.nanoTime() - lastWrite) / 1e9, PAIRING_TIMEOUT.toSeconds());
    }

    /** One audit_gap per unanswered request, pointing at it, and none for the others, even a while later. */
    private static void assertOnlyTrueGaps(Connection c, ShuffledCalls calls, long lastWrite) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> gapRequestIds(c).size() >= calls.unansweredRequestIds.size());
        System.out.printf("PAIRING %d audit_gap anomalies %.1f s after the last write%n", gapRequestIds(c).size(),
                (System.nanoTime() - lastWrite) / 1e9);
        Thread.sleep(PAIRING_TIMEOUT.toMillis() / 2);
        assertThat(gapRequestIds(c)).isEqualTo(new TreeSet<>(calls.unansweredRequestIds));
        assertThat(count(c, "SELECT count(*) FROM anomaly WHERE rule = 'audit_gap'"))
                .isEqualTo(calls.unansweredRequestIds.size());
    }

    private static Set<String> gapRequestIds(Connection c) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT e.request_id FROM anomaly a "
                + "JOIN audit_event e ON e.event_id = ANY (a.event_ids) WHERE a.rule = 'audit_gap'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Map<String, String> statuses(Connection c) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT request_id, type, pairing_status FROM audit_event")) {
            while (rs.next()) {
                String key = rs.getString(1) + "/" + rs.getString(2);
                assertThat(out.put(key, rs.getString(3))).as("one row for " + key).isNull();
            }
        }
        return out;
    }

    private record Inspected(Map<String, String> statuses, Set<String> gapRequestIds,
                             Map<String, Long> anomaliesByRule) {
    }

    private static Map<String, Long> anomaliesByRule(Connection c) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rule, count(*) FROM anomaly GROUP BY rule")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static Inspected inspect(Path file) throws Exception {
        CliRun run = CliRun.of("inspect", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, String> statuses = new TreeMap<>();
        Map<String, String> requestOf = new TreeMap<>();
        List<JsonNode> anomalies = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            JsonNode n = JSON.readTree(line);
            if (n.path("kind").asText().equals("event")) {
                String key = n.path("request_id").asText() + "/" + n.path("type").asText();
                assertThat(statuses.put(key, n.path("pairing").path("status").asText())).as(key).isNull();
                requestOf.put(n.path("event_id").asText(), n.path("request_id").asText());
            } else if (n.path("kind").asText().equals("anomaly")) {
                anomalies.add(n);
            }
        }
        Set<String> gaps = new TreeSet<>();
        Map<String, Set<String>> idsByRule = new TreeMap<>();
        for (JsonNode a : anomalies) {
            idsByRule.computeIfAbsent(a.path("rule").asText(), r -> new TreeSet<>()).add(a.path("anomaly_id").asText());
            if (a.path("rule").asText().equals("audit_gap")) {
                a.path("event_ids").forEach(id -> gaps.add(requestOf.get(id.asText())));
            }
        }
        Map<String, Long> byRule = new TreeMap<>();
        idsByRule.forEach((rule, ids) -> byRule.put(rule, (long) ids.size()));
        return new Inspected(statuses, gaps, byRule);
    }

    private static List<String> reversed(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        java.util.Collections.reverse(out);
        return out;
    }

    /** {@code auditrail streams} in a JVM of its own, on the stack's Kafka, as production runs it. */
    private static Process startStreams(Settings stack, Path stateDir, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-cp", classPath(), Main.class.getName(), "streams"));
        Map<String, String> m = new TreeMap<>();
        m.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, stack.asMap().get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        m.put(StreamsStageConfig.STATE_DIR, stateDir.toString());
        m.put(StreamsStageConfig.PAIRING_TIMEOUT_MS, Long.toString(PAIRING_TIMEOUT.toMillis()));
        m.put(AppConfig.HTTP_LISTEN_ADDRESS, "127.0.0.1:0");
        // the killed member's partitions move to the new one after the session timeout: the broker's minimum
        m.put("kafka.session.timeout.ms", "6000");
        m.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static int ingestPort(DevStack stack) {
        return Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
    }

    private static Connection connect(Settings s) throws Exception {
        Map<String, String> m = s.asMap();
        return DriverManager.getConnection(m.get(CoreConfig.POSTGRES_URL), m.get(CoreConfig.POSTGRES_USER),
                m.get(CoreConfig.POSTGRES_PASSWORD));
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
