package io.auditrail.bench.multiproc;

import io.auditrail.core.event.PairedEvent;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as the stages do ({@code read_committed}) and counts its records and the distinct ones among
 * them: on the events topic by event id (exactly once means as many records as distinct ids, whatever was killed or
 * rebalanced on the way: the index table's primary key would hide a duplicate), on the raw topic by the line's bytes
 * (ingest re-sends, after a crash, what Kafka took but the spool had not yet released).
 */
final class TopicAudit {
    /** Committed records on the topic and the distinct ones among them. */
    record Result(long records, long distinct) {
        long duplicates() {
            return records - distinct;
        }
    }

    private TopicAudit() {
    }

    /** Distinct by event id. */
    static Result events(String bootstrap, String topic) {
        return read(bootstrap, topic, v -> PairedEvent.fromJson(v).event().eventId());
    }

    /** Distinct by the line's bytes (their SHA-256). */
    static Result raw(String bootstrap, String topic) {
        return read(bootstrap, topic, v -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Result read(String bootstrap, String topic, Function<byte[], String> key) {
        Set<String> ids = new HashSet<>();
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", false, "max.poll.records", 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    records++;
                    ids.add(key.apply(r.value()));
                }
            }
        }
        return new Result(records, ids.size());
    }
}
