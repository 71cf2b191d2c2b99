package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code auditrail import}: file-device logs into the raw topic as ingest would have sent them. */
@ExtendWith(EmbeddedServicesExtension.class)
class FileImporterIT {
    @TempDir
    Path temp;

    @Test
    @Timeout(120)
    void everyCompleteLineOfEveryFileReachesTheRawTopicOrTheDlqByteExact(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> settings = IngestStageIT.settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        settings.put(CoreConfig.AUDIT_MAX_LINE_BYTES, "8192");
        List<byte[]> first = AuditLines.pairs(21, 3000);
        List<byte[]> second = AuditLines.pairs(22, 500);
        byte[] oversize = ("{\"type\":\"request\",\"pad\":\"" + "x".repeat(10_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // the first node's log, an oversize line in it; the second node's, its last line still being written
        Path a = write(temp.resolve("audit-vault-1.log"), first, oversize, null);
        Path b = write(temp.resolve("audit-vault-2.log"), second, null,
                "{\"type\":\"response\",\"request\":{\"id\":\"half".getBytes(StandardCharsets.UTF_8));

        FileImporter.Result r = FileImporter.importFiles(Settings.of(settings), List.of(a, b));

        assertThat(r.files()).isEqualTo(2);
        assertThat(r.raw()).isEqualTo(first.size() + second.size());
        assertThat(r.dlq()).isEqualTo(1);
        assertThat(r.fragments()).isEqualTo(1);
        List<byte[]> expected = new ArrayList<>(first);
        expected.addAll(second);
        List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                expected.size() + 1, Duration.ofSeconds(5));
        assertThat(IngestStageIT.asText(raw.stream().map(ConsumerRecord::value).toList()))
                .isEqualTo(IngestStageIT.asText(expected));
        for (ConsumerRecord<byte[], byte[]> rec : raw) {
            String line = new String(rec.value(), StandardCharsets.UTF_8);
            assertThat(line).contains("\"id\":\"" + new String(rec.key(), StandardCharsets.UTF_8) + "\"");
            assertThat(IngestStageIT.header(rec, RecordHeaders.LISTENER)).isEqualTo("import");
            assertThat(IngestStageIT.header(rec, RecordHeaders.SOURCE_NODE)).startsWith("file:").endsWith(".log");
        }
        List<ConsumerRecord<byte[], byte[]>> dlq = TopicReader.readAll(kafka.bootstrapServers(), "dlq-" + suffix, 2,
                Duration.ofSeconds(5));
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).value()).isEqualTo(oversize);
        assertThat(IngestStageIT.header(dlq.get(0), RecordHeaders.DLQ_FAILURE)).isEqualTo("OVERSIZE");
    }

    private static Path write(Path file, List<byte[]> lines, byte[] extra, byte[] unterminated) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            out.write(lines.get(i));
            out.write('\n');
            if (extra != null && i == lines.size() / 2) {
                out.write(extra);
                out.write('\n');
            }
        }
        if (unterminated != null) {
            out.write(unterminated);
        }
        return Files.write(file, out.toByteArray());
    }
}
