package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kafka stops in the middle of the stream and comes back: Vault never waits, nothing is lost or doubled. */
class IngestBrokerOutageIT {
    @TempDir
    Path temp;

    @Test
    @Timeout(150)
    void brokerStoppedMidStreamThenRestartedLosesNothingAndNeverBlocksTheSender() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(temp.resolve("kafka"))).start()) {
            var settings = IngestStageIT.settings(kafka.bootstrapServers(), temp.resolve("spool"), "outage");
            var registry = new SimpleMeterRegistry();
            try (IngestStage stage = IngestStage.start(Settings.of(settings), registry)) {
                InetSocketAddress at = stage.tcpAddress().orElseThrow();
                List<byte[]> lines = AuditLines.pairs(5, 9000);
                List<List<byte[]>> shares = IngestStageIT.split(lines, 3);
                List<VaultLikeClient> clients = new ArrayList<>();
                ExecutorService pool = Executors.newFixedThreadPool(3);
                try {
                    List<Future<?>> sending = new ArrayList<>();
                    for (List<byte[]> share : shares) {
                        VaultLikeClient c = new VaultLikeClient(at);
                        clients.add(c);
                        sending.add(pool.submit(() -> {
                            // about 1,000 lines/s per connection, so the outage falls in the middle of the stream
                            for (int i = 0; i < share.size(); i++) {
                                c.send(share.get(i));
                                if (i % 10 == 9) {
                                    Thread.sleep(10);
                                }
                            }
                            return null;
                        }));
                    }
                    await().atMost(Duration.ofSeconds(20)).until(() -> stage.metrics().linesSent() > 1000);
                    kafka.stop();
                    long sentAtStop = stage.metrics().linesSent();
                    Thread.sleep(2000);
                    assertThat(stage.spooledBytes()).as("lines wait in the spool").isPositive();
                    assertThat(stage.metrics().linesSent()).isEqualTo(sentAtStop);
                    assertThat(registry.get("auditrail.ingest.spool.oldest.age").gauge().value())
                            .as("age of the oldest waiting line, seconds").isGreaterThan(1.0);
                    kafka.start();
                    for (Future<?> f : sending) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                    clients.forEach(VaultLikeClient::close);
                }
                assertThat(clients).allSatisfy(c -> {
                    assertThat(c.failed()).isZero();
                    assertThat(c.resent()).isZero();
                    assertThat(c.longestWrite()).isLessThan(Duration.ofSeconds(2));
                });
                await().atMost(Duration.ofSeconds(90)).until(() -> stage.metrics().linesSent() == lines.size());
                List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(),
                        "raw-outage", lines.size(), Duration.ofSeconds(30));
                assertThat(raw.size()).isEqualTo(lines.size());
                assertThat(new HashSet<>(IngestStageIT.asText(raw.stream().map(ConsumerRecord::value).toList())))
                        .hasSize(lines.size());
                assertThat(IngestStageIT.asText(raw.stream().map(ConsumerRecord::value).toList()))
                        .isEqualTo(IngestStageIT.asText(lines));
                IngestStageIT.assertNothingLost(stage.metrics());
                assertThat(stage.metrics().linesResent()).isZero();
            }
        }
    }

    @Test
    @Timeout(150)
    void anOutageLongerThanTheDeliveryTimeoutIsResentFromTheSpool() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(temp.resolve("kafka"))).start()) {
            var settings = IngestStageIT.settings(kafka.bootstrapServers(), temp.resolve("spool"), "expiry");
            settings.put(IngestConfig.PRODUCER_DELIVERY_TIMEOUT_MS, "3000");
            try (IngestStage stage = IngestStage.start(Settings.of(settings), new SimpleMeterRegistry())) {
                InetSocketAddress at = stage.tcpAddress().orElseThrow();
                List<byte[]> lines = AuditLines.pairs(6, 3000);
                await().atMost(Duration.ofSeconds(20)).until(stage::isReady);
                try (VaultLikeClient vault = new VaultLikeClient(at)) {
                    vault.send(lines.get(0));
                    await().atMost(Duration.ofSeconds(20)).until(() -> stage.metrics().linesSent() == 1);
                    kafka.stop();
                    for (byte[] line : lines.subList(1, lines.size())) {
                        vault.send(line);
                    }
                    assertThat(vault.failed()).isZero();
                    assertThat(vault.longestWrite()).isLessThan(Duration.ofSeconds(2));
                    // the producer gives up on what it holds (delivery timeout) or refuses new lines (no metadata):
                    // which one depends on timing; either way the lines stay in the spool
                    await().atMost(Duration.ofSeconds(30)).until(() -> stage.metrics().sendFailures() > 0);
                    kafka.start();
                }
                await().atMost(Duration.ofSeconds(90)).until(() -> stage.metrics().linesSent() == lines.size());
                List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(),
                        "raw-expiry", lines.size(), Duration.ofSeconds(30));
                // at least once: every line is there; a failed batch Kafka partly took may be there twice
                assertThat(new HashSet<>(IngestStageIT.asText(raw.stream().map(ConsumerRecord::value).toList())))
                        .isEqualTo(new HashSet<>(IngestStageIT.asText(lines)));
                IngestStageIT.assertNothingLost(stage.metrics());
                assertThat(stage.spooledBytes()).isZero();
            }
        }
    }
}
