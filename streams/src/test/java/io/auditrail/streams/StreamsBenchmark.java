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
    private static final int WARMUP_PAIRS = 50_000;

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

            // 0. warm-up: the JIT compiles the hot paths on a first backlog, which is not measured
            List<Traffic.Entry> warmup = Traffic.pairs("w", WARMUP_PAIRS, Instant.now().minusSeconds(900), 3);
            produce(kafka, topics.raw(), warmup);
            // 1. throughput: a backlog of generated traffic, drained by the stage
            List<Traffic.Entry> lines = Traffic.pairs("b", pairs, Instant.now().minusSeconds(600), 1);
            long bytes = lines.stream().mapToLong(e -> e.line().length).sum();
            System.out.printf("backlog: %d lines, %.1f MB, avg %d B/line (after %d warm-up lines)%n", lines.size(),
                    bytes / 1e6, bytes / lines.size(), warmup.size());
            try (Counter events = new Counter(kafka, topics.events());
                 StreamsStage stage = StreamsStage.start(config, config.rules(), new SimpleMeterRegistry())) {
                while (events.count() < warmup.size()) {
                    Thread.sleep(20);
                }
                events.reset();
                ThreadCpu cpu = ThreadCpu.snapshot();
                long t0 = System.nanoTime();
                produce(kafka, topics.raw(), lines);
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
                cpu.printSince(lines.size());
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

    /**
     * CPU time per line over the backlog, by part of the one JVM (the stream thread, its producer's network thread,
     * the broker, the rest), from the JVM's own per-thread clocks; the JVM total adds compilation and GC. CPU time,
     * unlike the rate, hardly depends on what else runs on the machine.
     */
    private record ThreadCpu(java.util.Map<Long, Long> byThread, long processNanos) {
        static ThreadCpu snapshot() {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            java.util.Map<Long, Long> t = new java.util.HashMap<>();
            for (long id : mx.getAllThreadIds()) {
                t.put(id, Math.max(0, mx.getThreadCpuTime(id)));
            }
            return new ThreadCpu(t, ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime());
        }

        void printSince(long lines) {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            java.util.Map<String, Long> parts = new java.util.TreeMap<>();
            for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long used = Math.max(0, mx.getThreadCpuTime(info.getThreadId()))
                        - byThread.getOrDefault(info.getThreadId(), 0L);
                String name = info.getThreadName();
                String part = name.contains("StreamThread") && name.endsWith("-producer") ? "streams producer I/O"
                        : name.contains("StreamThread") && !name.contains("consumer") ? "stream thread"
                        : name.startsWith("auditrail-streams") ? "streams other"
                        : name.equals("event-counter") || name.startsWith("kafka-producer-network-thread | producer")
                        ? "benchmark's clients" : "broker and rest";
                parts.merge(part, used, Long::sum);
            }
            long process = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() - processNanos;
            StringBuilder out = new StringBuilder("cpu per line over the backlog:");
            parts.forEach((part, ns) -> out.append(String.format(" %s %.1f us;", part, ns / 1e3 / lines)));
            out.append(String.format(" JVM total (with JIT and GC) %.1f us", process / 1e3 / lines));
            System.out.println(out);
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

        /** Counts from zero again (events read so far no longer count). */
        void reset() {
            count = 0;
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
