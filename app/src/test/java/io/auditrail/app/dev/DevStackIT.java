package io.auditrail.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.archive.VerifyReport;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.ingest.FileImporter;
import io.auditrail.core.config.Settings;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.PairingStatus;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DevStackIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void linesSentToIngestComeOutAsPairedEventsAndReadinessReflectsTheServices(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir, "127.0.0.1", 0, 0, 0, 0, 0, "auditrail-archive",
                Settings.of(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "1000",
                        ArchiveConfig.DIGEST_INTERVAL_MS, "2000"))))) {
            String base = "http://127.0.0.1:" + stack.httpPort();
            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(base + "/readyz");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"kafka\":\"ok\"", "\"postgres\":\"ok\"", "\"s3\":\"ok\"",
                    "\"ingest\":\"ok\"", "\"streams\":\"ok\"", "\"index\":\"ok\"", "\"archive\":\"ok\"", "\"alerts\":\"ok\"", "\"api\":\"ok\"");
            assertThat(get(base + "/metrics").body()).contains("jvm_memory_used_bytes");

            // 40 request/response pairs as Vault's socket device sends them: one connection, newline-framed
            int pairs = 40;
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(pairs);
            String lines = pairLines(start, 0, pairs);
            int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
            try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
                out.write(lines.getBytes(StandardCharsets.UTF_8));
            }

            List<PairedEvent> events = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack.endpoints().get("Kafka"))) {
                consumer.subscribe(List.of("vault.audit.events"));
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> events.add(PairedEvent.fromJson(r.value())));
                    return events.size() >= 2 * pairs;
                });
                consumer.poll(Duration.ofSeconds(1)).forEach(r -> events.add(PairedEvent.fromJson(r.value())));
            }
            assertThat(events).hasSize(2 * pairs);
            assertThat(events).extracting(e -> e.event().eventId()).doesNotHaveDuplicates();
            assertThat(events).allSatisfy(e -> {
                assertThat(e.event().tenantId()).isEqualTo("acme");
                assertThat(e.pairing().status()).isEqualTo(PairingStatus.PAIRED);
            });

            // the same lines as rows in the index, and archived, listed in a signed digest that verifies
            Settings settings = stack.settings();
            try (Connection c = DriverManager.getConnection(settings.asMap().get(CoreConfig.POSTGRES_URL),
                    settings.asMap().get(CoreConfig.POSTGRES_USER), settings.asMap().get(CoreConfig.POSTGRES_PASSWORD))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> count(c,
                        "SELECT count(*) FROM audit_event WHERE tenant_id = 'acme'") == 2L * pairs);
                assertThat(count(c, "SELECT count(DISTINCT request_id) FROM audit_event")).isEqualTo(pairs);
            }
            Instant from = start.minus(Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                VerifyReport report = ArchiveVerifier.verify(settings, from, Instant.now().plusSeconds(60));
                return report.intact() && report.lines() == 2L * pairs;
            });
            assertThat(get(base + "/metrics").body())
                    .containsPattern("auditrail_archive_records_total\\{outcome=\"sent\",reason=\"none\",?} 80\\.0");

            // after an ingest outage the runbook backfills from the file device: its copy of the 80 lines (other
            // bytes, as the devices' HMACs differ; the same type, request id and time) and 20 lines only it has
            StringBuilder file = new StringBuilder();
            for (String line : lines.split("\n")) {
                file.append(line, 0, line.length() - 1).append(",\"device\":\"file\"}\n");
            }
            file.append(pairLines(start, pairs, pairs + 10));
            Path log = Files.writeString(dir.resolve("audit-vault-1.log"), file);
            FileImporter.Result imported = FileImporter.importFiles(settings, List.of(log));
            assertThat(imported.raw()).isEqualTo(2L * pairs + 20);
            try (Connection c = DriverManager.getConnection(settings.asMap().get(CoreConfig.POSTGRES_URL),
                    settings.asMap().get(CoreConfig.POSTGRES_USER), settings.asMap().get(CoreConfig.POSTGRES_PASSWORD))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> count(c,
                        "SELECT count(*) FROM audit_event WHERE tenant_id = 'acme'") == 2L * pairs + 20);
                Thread.sleep(2000); // the 80 re-imported lines have passed streams and index by now
                assertThat(count(c, "SELECT count(*) FROM audit_event")).as("no second row for a line both devices "
                        + "delivered").isEqualTo(2L * pairs + 20);
                assertThat(count(c, "SELECT count(DISTINCT request_id) FROM audit_event")).isEqualTo(pairs + 10);
            }

            stack.services().postgres().stop();
            HttpResponse<String> notReady = get(base + "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"kafka\":\"ok\"", "\"s3\":\"ok\"")
                    .doesNotContain("\"postgres\":\"ok\"");
            assertThat(get(base + "/healthz").statusCode()).as("alive though not ready").isEqualTo(200);
        }
    }

    /** Request/response pairs {@code from} to {@code to} of tenant acme, one second apart from {@code start}, as NDJSON. */
    private static String pairLines(Instant start, int from, int to) {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            for (String type : List.of("request", "response")) {
                lines.append("{\"time\":\"").append(start.plusSeconds(i).plusMillis(500))
                        .append("\",\"type\":\"").append(type).append("\",\"auth\":{\"metadata\":{\"tenant_id\":")
                        .append("\"acme\"},\"entity_id\":\"e1\",\"policies\":[\"default\"]},\"request\":{\"id\":")
                        .append("\"req-").append(i).append("\",\"operation\":\"read\",\"path\":")
                        .append("\"secret/data/tenants/acme/k").append(i).append("\"}}\n");
            }
        }
        return lines.toString();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dev-stack-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties props = new Properties();
        props.putAll(p);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
