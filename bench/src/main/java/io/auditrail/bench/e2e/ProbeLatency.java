package io.auditrail.bench.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The probe rows' latencies per phase: socket write to row indexed ({@code indexed_at - event_time}), split at the
 * raw record's timestamp (the time ingest read the line off the socket, which it stamps on each record) into the
 * wait before ingest reads it and the rest (ingest's spool and producer, Kafka, streams, the events topic, index).
 */
public final class ProbeLatency {
    /** Percentiles of one phase, in seconds, over every probe row of the phase; {@code lateP99} is the p99 of the phase's second half only. */
    public record Stats(int rows, double p50, double p95, double p99, double max, double lateP99, double ingestP50, double ingestP99,
                 double restP50, double restP99) {
    }

    private record Row(String phase, double total, double ingest) {
    }

    private ProbeLatency() {
    }

    public static Map<String, Stats> measure(Connection c, String bootstrap, String rawTopic) throws Exception {
        return measure(c, bootstrap, rawTopic, UnaryOperator.identity());
    }

    /** As {@link #measure(Connection, String, String)}, the probes' phase names mapped through {@code group} first. */
    public static Map<String, Stats> measure(Connection c, String bootstrap, String rawTopic,
                                             UnaryOperator<String> group) throws Exception {
        List<Object[]> found = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT request_id, extract(epoch FROM event_time) * 1e6, "
                     + "extract(epoch FROM indexed_at) * 1e6, raw_partition, raw_offset FROM audit_event "
                     + "WHERE tenant_id = 'probe' AND request_id LIKE 'probe-%' ORDER BY event_time")) {
            while (rs.next()) {
                found.add(new Object[] {rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getInt(4), rs.getLong(5)});
            }
        }
        List<Row> rows = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "max.poll.records", 1, "enable.auto.commit", false, "fetch.max.bytes", 65536,
                "max.partition.fetch.bytes", 65536), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(rawTopic).stream()
                    .map(p -> new TopicPartition(rawTopic, p.partition())).toList();
            consumer.assign(parts);
            for (Object[] f : found) {
                double eventMicros = (Double) f[1];
                double indexedMicros = (Double) f[2];
                TopicPartition tp = new TopicPartition(rawTopic, (Integer) f[3]);
                long receivedMs = timestamp(consumer, tp, (Long) f[4]);
                String phase = group.apply(((String) f[0]).replaceAll("^probe-(.*)-[0-9]+$", "$1"));
                rows.add(new Row(phase, (indexedMicros - eventMicros) / 1e6,
                        receivedMs < 0 ? Double.NaN : (receivedMs * 1000.0 - eventMicros) / 1e6));
            }
        }
        Map<String, List<Row>> byPhase = new LinkedHashMap<>();
        rows.forEach(r -> byPhase.computeIfAbsent(r.phase(), k -> new ArrayList<>()).add(r));
        Map<String, Stats> out = new LinkedHashMap<>();
        byPhase.forEach((phase, list) -> {
            List<Double> total = sorted(list.stream().map(Row::total).toList());
            List<Double> late = sorted(list.subList(list.size() / 2, list.size()).stream().map(Row::total).toList());
            List<Double> ingest = sorted(list.stream().map(Row::ingest).filter(d -> !d.isNaN()).toList());
            List<Double> rest = sorted(list.stream().filter(r -> !Double.isNaN(r.ingest()))
                    .map(r -> r.total() - r.ingest()).toList());
            out.put(phase, new Stats(list.size(), pct(total, 0.5), pct(total, 0.95), pct(total, 0.99), pct(total, 1.0), pct(late, 0.99),
                    pct(ingest, 0.5), pct(ingest, 0.99), pct(rest, 0.5), pct(rest, 0.99)));
        });
        return out;
    }

    /** The timestamp of the record at {@code offset}, -1 if it cannot be read within a few seconds. */
    private static long timestamp(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long offset) {
        consumer.pause(consumer.assignment());
        consumer.resume(List.of(tp));
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == offset) {
                    return r.timestamp();
                }
            }
        }
        return -1;
    }

    private static List<Double> sorted(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s;
    }

    private static double pct(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)));
    }
}
