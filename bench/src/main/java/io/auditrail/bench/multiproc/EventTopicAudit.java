package io.auditrail.bench.multiproc;

import io.auditrail.core.event.PairedEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole events topic as the index does ({@code read_committed}) and counts its records and distinct event
 * ids: exactly once means as many records as distinct ids, whatever was killed or rebalanced on the way (the index
 * table's primary key would hide a duplicate).
 */
final class EventTopicAudit {
    /** Committed records on the topic and the distinct event ids among them. */
    record Result(long records, long distinct) {
        long duplicates() {
            return records - distinct;
        }
    }

    private EventTopicAudit() {
    }

    static Result read(String bootstrap, String topic) {
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
                    ids.add(PairedEvent.fromJson(r.value()).event().eventId());
                }
            }
        }
        return new Result(records, ids.size());
    }
}
