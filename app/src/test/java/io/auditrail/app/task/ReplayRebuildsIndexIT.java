package io.auditrail.app.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.app.CliRun;
import io.auditrail.app.dev.DevStack;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster recovery as issue 6 asks: the index is emptied, {@code auditrail replay} re-publishes the archive, and the
 * pipeline rebuilds exactly the rows the live path wrote, pointing at the same archived lines, with no second anomaly.
 */
class ReplayRebuildsIndexIT {
    private static final String ROWS = "SELECT event_id, event_time, tenant_id, type, request_id, operation, path, "
            + "secret_path, outcome, actor_entity_id, remote_address, pairing_status, raw_partition, raw_offset, "
            + "detail::text FROM audit_event ORDER BY event_id";

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void replayIntoAnEmptyIndexGivesTheRowsTheLivePathGave(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir, "127.0.0.1", 0, 0, 0, 0, 0, "auditrail-archive",
                Settings.of(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "500", ArchiveConfig.DIGEST_INTERVAL_MS,
                        "1500"))))) {
            Settings settings = stack.settings();
            List<String> printed = new CopyOnWriteArrayList<>();
            stack.printAnomalies(printed::add);
            Thread.sleep(1500); // the feed starts at the latest offset: let it join before traffic
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
            int pairs = 50;
            send(stack, start, pairs);
            Instant from = start.minus(Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    ArchiveVerifier.verify(settings, from, Instant.now().plusSeconds(60)).lines() == 2L * pairs);

            Map<String, String> m = settings.asMap();
            try (Connection c = DriverManager.getConnection(m.get(CoreConfig.POSTGRES_URL),
                    m.get(CoreConfig.POSTGRES_USER), m.get(CoreConfig.POSTGRES_PASSWORD))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> rows(c).size() == 2 * pairs);
                List<List<String>> live = rows(c);
                // anomalies travel their own topic: wait until the table and the console agree and stay put
                long[] last = {-1};
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    long now = count(c, "SELECT count(*) FROM anomaly");
                    boolean settled = now > 0 && now == last[0] && printed.size() == now;
                    last[0] = now;
                    return settled;
                });
                long anomalies = last[0];
                assertThat(printed).allSatisfy(line -> assertThat(line).startsWith("ANOMALY ").contains("tenant=acme"))
                        .anySatisfy(line -> assertThat(line).contains("root_token_use"));
                List<String> printedLive = List.copyOf(printed);

                try (Statement st = c.createStatement()) {
                    st.execute("TRUNCATE audit_event");
                }
                assertThat(rows(c)).isEmpty();

                List<String> args = new ArrayList<>(List.of("replay", "--from", from.toString()));
                m.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
                CliRun replay = CliRun.of(args.toArray(String[]::new));
                assertThat(replay.exitCode()).as(replay.err()).isZero();
                assertThat(replay.out()).contains("replayed " + 2 * pairs + " lines");

                await().atMost(Duration.ofSeconds(60)).until(() -> rows(c).size() == 2 * pairs);
                assertThat(rows(c)).isEqualTo(live);
                assertThat(count(c, "SELECT count(*) FROM anomaly")).isEqualTo(anomalies);
                Thread.sleep(2000); // anything the replay would print has been consumed by now
                assertThat(printed).as("replayed anomalies are not announced again").isEqualTo(printedLive);
            }
        }
    }

    private static void send(DevStack stack, Instant start, int pairs) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            String policies = i == 7 ? "[\"root\"]" : "[\"default\"]";
            for (String type : List.of("request", "response")) {
                text.append("{\"time\":\"").append(start.plusSeconds(i).plusMillis(type.equals("response") ? 3 : 0))
                        .append("\",\"type\":\"").append(type).append("\",\"auth\":{\"metadata\":{\"tenant_id\":")
                        .append("\"acme\"},\"entity_id\":\"e-").append(i % 3).append("\",\"policies\":")
                        .append(policies).append("},\"request\":{\"id\":\"rr-").append(i)
                        .append("\",\"operation\":\"read\",\"path\":\"secret/data/tenants/acme/k").append(i)
                        .append("\",\"remote_address\":\"10.0.0.").append(i % 5).append("\"}}\n");
            }
        }
        int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<List<String>> rows(Connection c) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(ROWS)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
