package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Kafka unreachable until the spool is full: each ingest.spool.full.policy does what it documents. */
@ExtendWith(EmbeddedServicesExtension.class)
class IngestSpoolFullIT {
    private static final long SPOOL_BYTES = 1 << 20;

    @TempDir
    Path temp;

    private Map<String, String> smallSpool(String bootstrap, String suffix, SpoolFullPolicy policy) {
        Map<String, String> s = IngestStageIT.settings(bootstrap, temp.resolve("spool"), suffix);
        s.put(CoreConfig.AUDIT_MAX_LINE_BYTES, "65536");
        s.put(IngestConfig.MAX_LINE_BYTES, "65536");
        s.put(IngestConfig.SPOOL_MAX_BYTES, Long.toString(SPOOL_BYTES));
        s.put(IngestConfig.SPOOL_SEGMENT_BYTES, "65536");
        s.put(IngestConfig.SPOOL_FULL_POLICY, policy.configValue());
        s.put(IngestConfig.SHUTDOWN_DRAIN_TIMEOUT_MS, "0");
        return s;
    }

    private static String unreachable() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    @Timeout(90)
    void blockPushesBackOnVaultAndLosesNothingItRead(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        List<byte[]> lines = AuditLines.pairs(11, 20_000);
        IngestMetrics first;
        var registry = new SimpleMeterRegistry();
        try (IngestStage stage = IngestStage.start(Settings.of(smallSpool(unreachable(), suffix,
                SpoolFullPolicy.BLOCK)), registry)) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            try (VaultLikeClient vault = new VaultLikeClient(at)) {
                for (int i = 0; i < lines.size() && vault.resent() == 0; i++) {
                    vault.send(lines.get(i));
                }
                // Vault's write timed out: the push-back it is meant to see, instead of a silent drop
                assertThat(vault.resent()).isPositive();
                assertThat(vault.longestWrite()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            }
            assertThat(stage.spooledBytes()).isLessThanOrEqualTo(SPOOL_BYTES);
            assertThat(registry.get("auditrail.ingest.spool.blocked").gauge().value()).isEqualTo(1.0);
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> registry.get("auditrail.ingest.spool.oldest.age").gauge().value() >= 1.0);
            first = stage.metrics();
        }
        assertThat(first.linesDropped()).isZero();
        long received = first.linesReceived(); // including what was read while stopping
        // a graceful stop kept everything read (the reader wrote past the bound rather than lose it)
        try (IngestStage stage = IngestStage.start(Settings.of(smallSpool(kafka.bootstrapServers(), suffix,
                SpoolFullPolicy.BLOCK)), new SimpleMeterRegistry())) {
            long firstRun = received;
            await().atMost(Duration.ofSeconds(30)).until(() -> stage.metrics().linesSent() >= firstRun);
            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                    firstRun, Duration.ofSeconds(20));
            assertThat(raw.size()).isEqualTo(firstRun);
            assertThat(new HashSet<>(IngestStageIT.asText(raw.stream().map(ConsumerRecord::value).toList())))
                    .hasSize((int) firstRun);
            IngestStageIT.assertNothingLostAcross(first, stage.metrics());
        }
    }

    @Test
    @Timeout(60)
    void rejectKeepsVaultServedAndCountsEveryDroppedLine(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        List<byte[]> lines = AuditLines.pairs(12, 1500);
        long accepted;
        IngestMetrics first;
        try (IngestStage stage = IngestStage.start(Settings.of(smallSpool(unreachable(), suffix,
                SpoolFullPolicy.REJECT)), new SimpleMeterRegistry())) {
            try (VaultLikeClient vault = new VaultLikeClient(stage.tcpAddress().orElseThrow())) {
                lines.forEach(vault::send);
                assertThat(vault.failed()).isZero();
                assertThat(vault.longestWrite()).isLessThan(Duration.ofSeconds(2));
            }
            IngestMetrics m = stage.metrics();
            await().atMost(Duration.ofSeconds(10)).until(() -> m.linesReceived() == lines.size());
            assertThat(m.linesDropped(DropReason.SPOOL_FULL)).isPositive();
            accepted = m.linesReceived() - m.linesDropped();
            first = m;
        }
        try (IngestStage stage = IngestStage.start(Settings.of(smallSpool(kafka.bootstrapServers(), suffix,
                SpoolFullPolicy.REJECT)), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stage.metrics().linesSent() == accepted);
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix, accepted,
                    Duration.ofSeconds(20)).size()).isEqualTo(accepted);
            IngestStageIT.assertNothingLostAcross(first, stage.metrics());
        }
    }
}
