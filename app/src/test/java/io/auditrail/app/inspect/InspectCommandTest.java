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

    @Test
    void printsOneEventPerSampleLine() throws Exception {
        Path corpus = VaultSamples.require().resolve("elastic-integrations");
        Path log = corpus.resolve("test-audit.log");
        CliRun run = CliRun.of("inspect", log.toString(), corpus.resolve("socket-audit-sample.ndjson").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(Files.readAllLines(log).size() + 2);
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertThat(n.path("kind").asText()).isEqualTo("event");
            assertThat(n.path("event_id").asText()).hasSize(36);
        }
        assertThat(JSON.readTree(lines.get(2)).path("outcome").asText()).isEqualTo("denied");
        assertThat(JSON.readTree(lines.get(lines.size() - 2)).path("path").asText()).isEqualTo("sys/audit/test");
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
        assertThat(out).extracting(n -> n.path("kind").asText()).containsExactly("event", "dlq", "event");
        assertThat(out.get(1).path("line").asLong()).isEqualTo(2);
        assertThat(out.get(1).path("failure").asText()).isEqualTo("NOT_JSON");
        assertThat(out.get(0).path("tenant_id").asText()).isEqualTo("acme");
    }

    @Test
    void summaryCountsEveryLineOnce(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, READ.formatted(1, "acme") + "\n" + READ.formatted(2, "globex") + "\nnot json\n"
                + "{\"time\":\"2026-11-28T10:00:00Z\",\"type\":\"request\",\"request\":{\"path\":\"sys/seal\"}}\n"
                + "x".repeat(5000) + "\n");
        CliRun run = CliRun.of("inspect", "--summary", "--set", "audit.max.line.bytes=4096", log.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).containsPattern("lines\\s+5\\b").containsPattern("events\\s+3\\b")
                .containsPattern("not entries\\s+2\\b").containsPattern("acme\\s+2\\s+2\\s+0\\s+0")
                .containsPattern("\\(no tenant\\)\\s+1\\s+1").containsPattern("NOT_JSON\\s+1")
                .containsPattern("OVERSIZE\\s+1");
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
