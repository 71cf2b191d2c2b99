package io.auditrail.ingest;

import static io.auditrail.ingest.IngestStageIT.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefix as a real Vault writes it (OpenBao 2.x, {@code bao server -dev} with two declared socket devices, needs
 * {@code allow_audit_log_prefixing}): one device with the prefix ingest knows, one with another. Every entry goes to
 * both devices, so each request id must be on the raw topic exactly from the first (prefix removed, source name set)
 * and on the dead-letter topic from the second (refused, kept with its prefix). Skipped where {@code bao} is absent.
 */
@ExtendWith(EmbeddedServicesExtension.class)
class OpenBaoPrefixIT {
    private static final String KNOWN = "openbaoKnown0123456789abcdef";
    private static final String OTHER = "openbaoOther0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    @Timeout(180)
    void aRealVaultsPrefixedLinesArriveWithoutThePrefixAndOtherPrefixesAreKeptAside(EmbeddedKafka kafka)
            throws Exception {
        // the bundled binary, not pip's wrapper script: with HOME changed below the wrapper cannot import its module
        Optional<Path> bao = io.auditrail.embedded.vault.BaoBinary.find();
        Assumptions.assumeTrue(bao.isPresent(), io.auditrail.embedded.vault.BaoBinary.missingMessage());
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = IngestStageIT.settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        s.put(IngestConfig.AUTH_PREFIXES, "openbao-dev=" + KNOWN);
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry())) {
            int ingestPort = stage.tcpAddress().orElseThrow().getPort();
            int apiPort = freePort();
            Path config = temp.resolve("audit.hcl");
            Files.writeString(config, """
                    allow_audit_log_prefixing = true
                    audit "socket" "auditrail" {
                      options {
                        address     = "127.0.0.1:%1$d"
                        socket_type = "tcp"
                        prefix      = "%2$s"
                      }
                    }
                    audit "socket" "impostor" {
                      options {
                        address     = "127.0.0.1:%1$d"
                        socket_type = "tcp"
                        prefix      = "%3$s"
                      }
                    }
                    """.formatted(ingestPort, KNOWN, OTHER));
            ProcessBuilder pb = new ProcessBuilder(bao.get().toString(), "server", "-dev", "-dev-root-token-id=root",
                    "-dev-listen-address=127.0.0.1:" + apiPort, "-config=" + config)
                    .redirectErrorStream(true).redirectOutput(temp.resolve("bao.log").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("VAULT_") || k.startsWith("BAO_"));
            pb.environment().put("HOME", temp.toString()); // -dev writes the root token to ~/.vault-token
            Process server = pb.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                String api = "http://127.0.0.1:" + apiPort + "/v1/";
                await().atMost(WAIT).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                        URI.create(api + "sys/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode()
                        == 200);
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> w = http.send(HttpRequest.newBuilder(URI.create(api + "secret/data/prefix-" + i))
                            .header("X-Vault-Token", "root").POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"data\":{\"k\":\"v" + i + "\"}}")).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(w.statusCode()).isEqualTo(200);
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "secret/data/prefix-" + i))
                            .header("X-Vault-Token", "root").GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                }
                IngestMetrics m = stage.metrics();
                // 5 writes and 5 reads, a request and a response entry each, on each of the two devices
                await().atMost(WAIT).until(() -> m.linesSent() >= 20 && m.linesToDlq() >= 20);
            } finally {
                server.destroy();
                server.waitFor();
            }
            IngestMetrics m = stage.metrics();
            await().atMost(WAIT).until(() -> m.linesReceived() == m.linesSent() + m.linesToDlq());
            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                    m.linesSent(), WAIT);
            List<ConsumerRecord<byte[], byte[]>> dlq = TopicReader.readAll(kafka.bootstrapServers(), "dlq-" + suffix,
                    m.linesToDlq(), WAIT);
            assertThat(raw).allSatisfy(r -> {
                String line = new String(r.value(), StandardCharsets.UTF_8);
                assertThat(line).startsWith("{").doesNotContain(KNOWN).doesNotContain(OTHER);
                assertThat(header(r, RecordHeaders.SOURCE_NAME)).isEqualTo("openbao-dev");
            });
            assertThat(dlq).allSatisfy(r -> {
                assertThat(header(r, RecordHeaders.DLQ_FAILURE)).isEqualTo("PREFIX_REFUSED");
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).startsWith(OTHER + "{");
            });
            Set<String> accepted = requestIds(raw, 0);
            Set<String> refused = requestIds(dlq, OTHER.length());
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(10).isEqualTo(refused);
            assertThat(raw.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                    .anySatisfy(l -> assertThat(l).contains("\"path\":\"secret/data/prefix-4\""));
            assertThat(m.linesDropped()).isZero();
        }
    }

    /**
     * The request ids of the records' lines, each parsed after {@code skip} bytes; not the enable-time probes, which
     * each device writes only to itself.
     */
    private static Set<String> requestIds(List<ConsumerRecord<byte[], byte[]>> records, int skip) throws IOException {
        Set<String> ids = new TreeSet<>();
        JsonFactory json = new JsonFactory();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (new String(r.value(), StandardCharsets.UTF_8).contains("\"path\":\"sys/audit/test\"")) {
                continue;
            }
            try (JsonParser p = json.createParser(r.value(), skip, r.value().length - skip)) {
                int depth = 0;
                boolean inRequest = false;
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.START_OBJECT) {
                        depth++;
                    } else if (t == JsonToken.END_OBJECT) {
                        depth--;
                        inRequest = inRequest && depth >= 2;
                    } else if (t == JsonToken.FIELD_NAME && depth == 1 && p.currentName().equals("request")) {
                        inRequest = true;
                    } else if (t == JsonToken.FIELD_NAME && depth == 2 && inRequest && p.currentName().equals("id")) {
                        p.nextToken();
                        ids.add(p.getText());
                    }
                }
            }
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
