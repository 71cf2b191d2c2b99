package io.auditrail.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.app.CliRun;
import io.auditrail.app.ExitCode;
import io.auditrail.core.testing.VaultSamples;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ = "{\"time\":\"2026-11-28T10:00:00Z\",\"type\":\"request\",\"auth\":{\"metadata\":"
            + "{\"tenant_id\":\"acme\"}},\"request\":{\"id\":\"r%d\",\"operation\":\"read\","
            + "\"path\":\"secret/data/tenants/%s/db\"}}";
    private static final String READ_RESPONSE = READ.replace("\"type\":\"request\"", "\"type\":\"response\"")
            .replace("00Z", "01Z");

    @Test
    void printsOneEventPerSampleLine() throws Exception {
        Path corpus = VaultSamples.require().resolve("elastic-integrations");
        Path log = corpus.resolve("test-audit.log");
        CliRun run = CliRun.of("inspect", log.toString(), corpus.resolve("socket-audit-sample.ndjson").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        List<JsonNode> out = run.out().lines().map(InspectCommandTest::json).toList();
        List<JsonNode> events = out.stream().filter(n -> n.path("kind").asText().equals("event")).toList();
        assertThat(events).hasSize(Files.readAllLines(log).size() + 2);
        assertThat(events).allSatisfy(n -> assertThat(n.path("event_id").asText()).hasSize(36));
        assertThat(events).extracting(n -> n.path("event_id").asText()).doesNotHaveDuplicates();
        assertThat(events).anySatisfy(n -> assertThat(n.path("outcome").asText()).isEqualTo("denied"));
        assertThat(events).anySatisfy(n -> assertThat(n.path("path").asText()).isEqualTo("sys/audit/test"));
        // the socket sample enables an audit device with a root token: both rules must fire
        assertThat(out).filteredOn(n -> n.path("kind").asText().equals("anomaly"))
                .extracting(n -> n.path("rule").asText()).contains("audit_device_change", "root_token_use");
        assertThat(out).extracting(n -> n.path("kind").asText()).containsOnly("event", "anomaly");
    }

    @Test
    void summaryOverTheSamplesCountsEachRule() throws Exception {
        Path corpus = VaultSamples.require().resolve("elastic-integrations");
        CliRun run = CliRun.of("inspect", "--summary", corpus.resolve("test-audit.log").toString(),
                corpus.resolve("socket-audit-sample.ndjson").toString(),
                corpus.resolve("test-faked-all-fields.log").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        // the socket sample enables a socket device with a root token; the faked sample uses a root-policy
        // token and logs accessors unhashed (hmac_accessor=false) on its request and its response
        assertThat(run.out()).containsPattern("lines\\s+19\\b").containsPattern("events\\s+19\\b")
                .containsPattern("not entries\\s+0\\b").containsPattern("anomalies\\s+4\\b")
                .containsPattern("audit_device_change\\s+critical\\s+1\\s+1\\b")
                .containsPattern("raw_logging_detected\\s+critical\\s+1\\s+2\\b")
                .containsPattern("root_token_use\\s+high\\s+2\\s+2\\b")
                .doesNotContain("audit_gap").doesNotContain("cross_tenant_access");
    }

    @Test
    void readsGzipAndReportsBadLinesWithTheirPlace(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("audit.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((READ.formatted(1, "acme") + "\n{\"truncated\":\n" + READ.formatted(2, "acme") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        CliRun run = CliRun.of("inspect", gz.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        List<JsonNode> out = run.out().lines().map(InspectCommandTest::json).toList();
        assertThat(out).extracting(n -> n.path("kind").asText())
                .containsExactlyInAnyOrder("event", "dlq", "event", "anomaly", "anomaly");
        // two requests whose responses never came: audit gaps, released at the end of the input
        assertThat(out).filteredOn(n -> n.path("kind").asText().equals("anomaly"))
                .extracting(n -> n.path("rule").asText()).containsOnly("audit_gap");
        JsonNode dlq = out.stream().filter(n -> n.path("kind").asText().equals("dlq")).findFirst().orElseThrow();
        assertThat(dlq.path("line").asLong()).isEqualTo(2);
        assertThat(dlq.path("failure").asText()).isEqualTo("NOT_JSON");
        assertThat(out).filteredOn(n -> n.path("kind").asText().equals("event"))
                .allSatisfy(n -> assertThat(n.path("tenant_id").asText()).isEqualTo("acme"));
    }

    @Test
    void summaryCountsEveryLineOnce(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.log");
        // line 2: a token of tenant acme reads tenant globex's secret
        Files.writeString(log, READ.formatted(1, "acme") + "\n" + READ_RESPONSE.formatted(1, "acme") + "\n"
                + READ.formatted(2, "globex") + "\n" + READ_RESPONSE.formatted(2, "globex") + "\nnot json\n"
                + "{\"time\":\"2026-11-28T10:00:02Z\",\"type\":\"request\",\"request\":{\"path\":\"sys/seal\"}}\n"
                + "x".repeat(5000) + "\n");
        CliRun run = CliRun.of("inspect", "--summary", "--set", "audit.max.line.bytes=4096", log.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).containsPattern("lines\\s+7\\b").containsPattern("events\\s+5\\b")
                .containsPattern("not entries\\s+2\\b").containsPattern("acme\\s+4\\s+4\\s+0\\s+0")
                .containsPattern("\\(no tenant\\)\\s+1\\s+1").containsPattern("NOT_JSON\\s+1")
                .containsPattern("OVERSIZE\\s+1")
                .containsPattern("anomalies\\s+2\\b").containsPattern("cross_tenant_access\\s+critical\\s+1\\s+1")
                .containsPattern("seal_or_cluster_change\\s+high\\s+1\\s+1").doesNotContain("audit_gap");
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
