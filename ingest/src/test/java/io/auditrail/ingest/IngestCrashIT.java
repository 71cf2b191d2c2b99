package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of an ingest process with lines in its spool: the next process delivers them. */
@ExtendWith(EmbeddedServicesExtension.class)
class IngestCrashIT {
    @TempDir
    Path temp;

    @Test
    @Timeout(120)
    void linesSpooledByAKilledProcessAreDeliveredAfterRestart(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Path spool = temp.resolve("spool");
        List<byte[]> lines = AuditLines.pairs(99, 2500);
        spoolThenKill(spool, suffix, Map.of(), lines);

        assertDeliveredAfterRestart(kafka, spool, suffix, Map.of(), lines);
    }

    @Test
    @Timeout(120)
    void aKilledProcessWritingIntoReusedSegmentFilesLeavesNothingOfTheirEarlierContentToSend(EmbeddedKafka kafka)
            throws Exception {
        Path spool = temp.resolve("spool");
        Map<String, String> small = Map.of(IngestConfig.SPOOL_SEGMENT_BYTES, Integer.toString(64 << 10));
        // a first life: 3,000 lines through 64 KiB segments, all acknowledged; their files stay for reuse. Every line
        // has one length, so the earlier records line up right after the new ones in a reused file: only their
        // checksums, bound to the position, tell them apart

        String before = UUID.randomUUID().toString();
        List<byte[]> earlier = sameLength(AuditLines.pairs(7, 1500));
        Map<String, String> first = IngestStageIT.settings(kafka.bootstrapServers(), spool, before);
        first.putAll(small);
        try (IngestStage stage = IngestStage.start(Settings.of(first), new SimpleMeterRegistry())) {
            IngestStageIT.sendConcurrently(List.<java.net.SocketAddress>of(stage.tcpAddress().orElseThrow()),
                    IngestStageIT.split(earlier, 2));
            await().atMost(Duration.ofSeconds(60)).until(() -> stage.metrics().linesSent() == earlier.size());
        }
        long reusable;
        try (var files = java.nio.file.Files.list(spool)) {
            reusable = files.filter(f -> f.toString().endsWith(".recycled")).count();
        }
        assertThat(reusable).isGreaterThanOrEqualTo(3);

        // a second life writes other lines into those files, with Kafka away, and is killed: fewer bytes than the
        // files hold, so the segment being written at the kill is a reused one with earlier records past the end
        String after = UUID.randomUUID().toString();
        List<byte[]> lines = sameLength(AuditLines.pairs(8, 60));
        assertThat(lines.stream().mapToLong(l -> l.length + 200L).sum()).isLessThan((reusable - 1) * (64 << 10));
        spoolThenKill(spool, after, small, lines);

        // the third life sends exactly the second life's lines: none of the first life's, none twice
        assertDeliveredAfterRestart(kafka, spool, after, small, lines);
    }

    /** The lines padded with trailing spaces (still JSON) to one length, the same in every call. */
    private static List<byte[]> sameLength(List<byte[]> lines) {
        int length = 3000;
        assertThat(lines).allSatisfy(l -> assertThat(l.length).isLessThanOrEqualTo(length));
        return lines.stream().map(l -> {
            byte[] padded = java.util.Arrays.copyOf(l, length);
            java.util.Arrays.fill(padded, l.length, length, (byte) ' ');
            return padded;
        }).toList();
    }

    /** Runs an ingest child whose Kafka is unreachable, sends the lines, waits until spooled, kills it (-9). */
    private void spoolThenKill(Path spool, String suffix, Map<String, String> extra, List<byte[]> lines)
            throws Exception {
        int unreachable;
        try (ServerSocket s = new ServerSocket(0)) {
            unreachable = s.getLocalPort(); // closed again: Kafka "down" for this process
        }
        Map<String, String> settings = IngestStageIT.settings("127.0.0.1:" + unreachable, spool, suffix);
        settings.putAll(extra);
        settings.put(IngestConfig.SPOOL_FSYNC, "never"); // a killed process, not a power loss: write() is enough

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-cp", testClassPath(), IngestChild.class.getName()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        // stdin stays open: its end would be a graceful stop, and this test wants a kill
        Process child = new ProcessBuilder(command).redirectError(temp.resolve("child-" + suffix + ".err").toFile())
                .start();
        try {
            AtomicInteger port = new AtomicInteger();
            AtomicLong received = new AtomicLong();
            Thread reader = new Thread(() -> readStatus(child, port, received), "child-status");
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> port.get() > 0);

            List<VaultLikeClient> clients = IngestStageIT.sendConcurrently(
                    List.of(new InetSocketAddress("127.0.0.1", port.get())), IngestStageIT.split(lines, 2));
            assertThat(clients).allSatisfy(c -> assertThat(c.failed()).isZero());
            await().atMost(Duration.ofSeconds(20)).until(() -> received.get() == lines.size());

            child.destroyForcibly();
            assertThat(child.waitFor() != 0).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    private static void assertDeliveredAfterRestart(EmbeddedKafka kafka, Path spool, String suffix,
                                                    Map<String, String> extra, List<byte[]> lines) throws Exception {
        Map<String, String> settings = IngestStageIT.settings(kafka.bootstrapServers(), spool, suffix);
        settings.putAll(extra);
        try (IngestStage stage = IngestStage.start(Settings.of(settings), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> stage.metrics().linesSent() >= lines.size());
            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(),
                    "raw-" + suffix, lines.size(), Duration.ofSeconds(30));
            assertThat(IngestStageIT.asText(raw.stream().map(ConsumerRecord::value).toList()))
                    .isEqualTo(IngestStageIT.asText(lines));
            assertThat(stage.metrics().linesDropped()).isZero();
            assertThat(stage.spooledBytes()).isZero();
            Thread.sleep(500); // anything more in the spool would be sent by now
            assertThat(stage.metrics().linesSent()).isEqualTo(lines.size());
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix, lines.size() + 1,
                    Duration.ofSeconds(2))).hasSize(lines.size());
        }
    }

    private static void readStatus(Process child, AtomicInteger port, AtomicLong received) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] f = line.split(" ");
                if (f[0].equals("LISTENING")) {
                    port.set(Integer.parseInt(f[1]));
                } else if (f[0].equals("RECEIVED")) {
                    received.set(Long.parseLong(f[1]));
                }
            }
        } catch (IOException e) {
            // the child was killed
        }
    }

    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
