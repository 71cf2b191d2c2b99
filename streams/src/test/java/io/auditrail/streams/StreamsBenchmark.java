package io.auditrail.streams;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import io.auditrail.embedded.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Events/s through the topology on the embedded broker, and raw-record-to-committed-event latency. Run from
 * {@code streams/}: {@code java -Xmx1g -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * io.auditrail.streams.StreamsBenchmark [pairs] [rate lines/s] [seconds] [key=value...]} (bench/RESULTS.md, "Streams").
 */
public final class StreamsBenchmark {
    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path dir = Files.createTempDirectory("auditrail-streams-bench-");
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(dir.resolve("kafka"))).start()) {
            Map<String, String> values = new java.util.HashMap<>(Map.of(CoreConfig.KAFKA_BOOTSTRAP_SERVERS,
                    kafka.bootstrapServers(), StreamsStageConfig.STATE_DIR, dir.resolve("state").toString()));
            for (int i = 3; i < args.length; i++) { // further arguments: settings, key=value
                values.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
            }
            Settings settings = Settings.of(values);
            System.out.println("settings: " + values);
            StreamsStageConfig config = new StreamsStageConfig(settings);
            Topics topics = config.core().topics();
            StreamsStage.ensureTopics(config);

            // 1. throughput: a backlog of generated traffic, drained by the stage
            List<Traffic.Entry> lines = Traffic.pairs("b", pairs, Instant.now().minusSeconds(600), 1);
            long bytes = lines.stream().mapToLong(e -> e.line().length).sum();
            produce(kafka, topics.raw(), lines);
            System.out.printf("backlog: %d lines, %.1f MB, avg %d B/line%n", lines.size(), bytes / 1e6,
                    bytes / lines.size());
            try (Counter events = new Counter(kafka, topics.events());
                 StreamsStage stage = StreamsStage.start(config, config.rules(), new SimpleMeterRegistry())) {
                long t0 = System.nanoTime();
                long first = 0;
                while (events.count() < lines.size()) {
                    if (first == 0 && events.count() > 0) {
                        first = System.nanoTime();
                    }
                    Thread.sleep(20);
                }
                long t1 = System.nanoTime();
                System.out.printf("throughput: %d events committed in %.2f s from start = %.0f events/s; "
                                + "%.0f events/s from the first committed event%n", lines.size(), (t1 - t0) / 1e9,
                        lines.size() / ((t1 - t0) / 1e9), lines.size() / ((t1 - first) / 1e9));
                System.out.printf("stage counters: received %.0f, events %.0f, dlq %.0f%n",
                        stage.metrics().receivedCount(), stage.metrics().eventCount(), stage.metrics().dlqCount());

                // 2. latency: a steady rate, raw record timestamp (send time) to the event read committed
                events.recordLatency(true);
                int total = rate * seconds;
                List<Traffic.Entry> live = Traffic.pairs("l", total / 2, Instant.now(), 2);
                long start = System.nanoTime();
                try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                    for (int i = 0; i < live.size(); i++) {
                        long due = start + (long) (i * 1e9 / rate);
                        while (System.nanoTime() < due) {
                            Thread.onSpinWait();
                        }
                        Traffic.Entry e = live.get(i);
                        producer.send(new ProducerRecord<>(topics.raw(), null, System.currentTimeMillis(),
                                e.requestId().getBytes(StandardCharsets.UTF_8), e.line()));
                    }
                }
                long target = lines.size() + live.size();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (events.count() < target && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long[] lat = events.latencies();
                Arrays.sort(lat);
                System.out.printf("latency at %d lines/s for %d s (%d events): p50 %d ms, p95 %d ms, p99 %d ms, "
                                + "max %d ms%n", rate, seconds, lat.length, pct(lat, 50), pct(lat, 95), pct(lat, 99),
                        lat.length == 0 ? -1 : lat[lat.length - 1]);
            }
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void produce(EmbeddedKafka kafka, String topic, List<Traffic.Entry> lines) {
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (Traffic.Entry e : lines) {
                producer.send(new ProducerRecord<>(topic, e.requestId().getBytes(StandardCharsets.UTF_8), e.line()));
            }
        }
    }

    /** Counts committed events on a thread of its own; optionally records now minus each record's timestamp. */
    private static final class Counter implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile long count;
        private volatile boolean latency;
        private final List<Long> latencies = new ArrayList<>();

        Counter(EmbeddedKafka kafka, String topic) {
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
                    List<TopicPartition> parts = c.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                    c.assign(parts);
                    c.seekToBeginning(parts);
                    while (running.get()) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                            if (latency) {
                                synchronized (latencies) {
                                    latencies.add(System.currentTimeMillis() - r.timestamp());
                                }
                            }
                            count++;
                        }
                    }
                }
            }, "event-counter");
            thread.start();
        }

        long count() {
            return count;
        }

        void recordLatency(boolean on) {
            latency = on;
        }

        long[] latencies() {
            synchronized (latencies) {
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // try-with-resources must not swallow an interrupt
            }
        }
    }
}
