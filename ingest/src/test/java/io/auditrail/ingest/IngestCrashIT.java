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
        int unreachable;
        try (ServerSocket s = new ServerSocket(0)) {
            unreachable = s.getLocalPort(); // closed again: Kafka "down" for the first process
        }
        Map<String, String> first = IngestStageIT.settings("127.0.0.1:" + unreachable, spool, suffix);
        first.put(IngestConfig.SPOOL_FSYNC, "never"); // a killed process, not a power loss: write() is enough

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-cp", testClassPath(), IngestChild.class.getName()));
        first.forEach((k, v) -> command.add(k + "=" + v));
        // stdin stays open: its end would be a graceful stop, and this test wants a kill
        Process child = new ProcessBuilder(command).redirectError(temp.resolve("child.err").toFile()).start();
        try {
            AtomicInteger port = new AtomicInteger();
            AtomicLong received = new AtomicLong();
            Thread reader = new Thread(() -> readStatus(child, port, received), "child-status");
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> port.get() > 0);

            List<byte[]> lines = AuditLines.pairs(99, 2500);
            List<VaultLikeClient> clients = IngestStageIT.sendConcurrently(
                    List.of(new InetSocketAddress("127.0.0.1", port.get())), IngestStageIT.split(lines, 2));
            assertThat(clients).allSatisfy(c -> assertThat(c.failed()).isZero());
            await().atMost(Duration.ofSeconds(20)).until(() -> received.get() == lines.size());

            child.destroyForcibly();
            assertThat(child.waitFor() != 0).isTrue();

            Map<String, String> second = IngestStageIT.settings(kafka.bootstrapServers(), spool, suffix);
            try (IngestStage stage = IngestStage.start(Settings.of(second), new SimpleMeterRegistry())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> stage.metrics().linesSent() == lines.size());
                List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(),
                        "raw-" + suffix, lines.size(), Duration.ofSeconds(30));
                assertThat(IngestStageIT.asText(raw.stream().map(ConsumerRecord::value).toList()))
                        .isEqualTo(IngestStageIT.asText(lines));
                assertThat(stage.metrics().linesDropped()).isZero();
                assertThat(stage.spooledBytes()).isZero();
            }
        } finally {
            child.destroyForcibly();
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
