package io.auditrail.bench.e2e;

import io.auditrail.core.config.Settings;
import io.auditrail.ingest.IngestConfig;
import io.auditrail.simulator.GeneratedLine;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.VaultTrafficGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ingest ceiling: Kafka's own producer, with exactly the producer settings ingest uses
 * ({@link IngestConfig#producerProperties()}: acks=all, idempotence, lz4, 1 MiB batches, linger 5 ms), sending the
 * simulator's realistic lines keyed by request id as fast as it can to a scratch topic on the same broker.
 */
public final class ProducerCeiling {
    /** One measured pass: records acknowledged and the seconds from the first send to the last acknowledgement. */
    public record Pass(long records, long bytes, double seconds) {
        public double perSecond() {
            return records / seconds;
        }
    }

    private ProducerCeiling() {
    }

    /** A warm-up pass (not returned), then {@code passes} measured passes of {@code lines} lines each. */
    public static List<Pass> run(Settings settings, int partitions, long lines, int tenants, long seed, int passes)
            throws Exception {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        VaultTrafficGenerator gen = new VaultTrafficGenerator(
                SimulationPlan.unpaced("127.0.0.1", 1, lines, tenants, seed), Instant.now());
        for (GeneratedLine l = gen.next(); l != null; l = gen.next()) {
            keys.add(l.requestId().getBytes(StandardCharsets.UTF_8));
            values.add(l.json());
        }
        Map<String, Object> props = new IngestConfig(settings).producerProperties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "auditrail-bench-ceiling");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", props.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)))) {
            admin.createTopics(List.of(new NewTopic("bench.ceiling", partitions, (short) 1))).all().get();
        }
        List<Pass> out = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            pass(producer, keys, values, keys.size() / 5);
            for (int i = 0; i < passes; i++) {
                out.add(pass(producer, keys, values, keys.size()));
            }
        }
        return out;
    }

    private static Pass pass(KafkaProducer<byte[], byte[]> producer, List<byte[]> keys, List<byte[]> values, int n) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long bytes = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bytes += values.get(i).length;
            producer.send(new ProducerRecord<>("bench.ceiling", keys.get(i), values.get(i)), (md, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
        }
        producer.flush();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failed.get() != null || acked.get() != n) {
            throw new IllegalStateException("ceiling pass lost records: " + acked.get() + " of " + n, failed.get());
        }
        return new Pass(n, bytes, seconds);
    }
}
