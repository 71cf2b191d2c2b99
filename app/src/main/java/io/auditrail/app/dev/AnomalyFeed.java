package io.auditrail.app.dev;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.topic.RecordHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints anomalies as they are detected, one line each, so a newcomer running {@code auditrail dev} sees the product
 * work without opening the console. Replayed anomalies are not printed (they were when they first happened); a
 * revision of an anomaly is printed as an update with its new count.
 */
final class AnomalyFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyFeed.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);

    private AnomalyFeed(KafkaConsumer<byte[], byte[]> consumer, String topic, Consumer<String> printer) {
        this.consumer = consumer;
        this.thread = new Thread(() -> run(topic, printer), "auditrail-dev-anomaly-feed");
        this.thread.setDaemon(true);
    }

    static AnomalyFeed start(String bootstrapServers, String topic, Consumer<String> printer) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "auditrail-dev-anomaly-feed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "auditrail-dev-anomaly-feed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AnomalyFeed feed = new AnomalyFeed(consumer, topic, printer);
        feed.thread.start();
        return feed;
    }

    /** One anomaly as one console line. Anomalies carry no secrets: ids, rule, actor, tenant and our own text. */
    static String format(Anomaly a) {
        return String.format("ANOMALY %-8s %s tenant=%s actor=%s%s count=%d%s: %s", a.severity().name().toLowerCase(
                java.util.Locale.ROOT), a.rule(), a.tenantId() == null ? "-" : a.tenantId(),
                a.actorDisplayName() == null ? a.actor() : a.actorDisplayName(),
                a.remoteAddress() == null ? "" : " from=" + a.remoteAddress(), a.count(),
                a.revision() > 1 ? " (update)" : "", a.description());
    }

    private void run(String topic, Consumer<String> printer) {
        try {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null || r.headers().lastHeader(RecordHeaders.REPLAY_ORIGIN) != null) {
                        continue;
                    }
                    try {
                        printer.accept(format(AnomalyCodec.fromBytes(r.value())));
                    } catch (RuntimeException e) {
                        LOG.warn("anomaly feed: unreadable anomaly at {}/{}: {}", r.partition(), r.offset(),
                                e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
