package io.auditrail.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records polled and not yet written, each already decoded into what will become of it, with the offsets to
 * commit once all of it is durable. Owned by the stage's loop thread only.
 */
final class IndexBatch {
    /** What a polled record becomes. */
    sealed interface Entry {
        ConsumerRecord<byte[], byte[]> record();
    }

    record Event(ConsumerRecord<byte[], byte[]> record, EventRow row) implements Entry {
    }

    record Anomaly(ConsumerRecord<byte[], byte[]> record, AnomalyRow row) implements Entry {
    }

    /** Can never be written: goes to the dead-letter topic. */
    record DeadLetter(ConsumerRecord<byte[], byte[]> record, IndexFailure failure, String reason) implements Entry {
    }

    /** An event dated before the retention period: counted and skipped. */
    record Expired(ConsumerRecord<byte[], byte[]> record) implements Entry {
    }

    private final List<Entry> entries = new ArrayList<>();
    private long bytes;
    private long firstAddedNanos;

    void add(Entry e, long nowNanos) {
        if (entries.isEmpty()) {
            firstAddedNanos = nowNanos;
        }
        entries.add(e);
        bytes += e.record().serializedValueSize() < 0 ? 0 : e.record().serializedValueSize();
    }

    List<Entry> entries() {
        return entries;
    }

    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    boolean isFull(int maxRecords, long maxBytes) {
        return entries.size() >= maxRecords || bytes >= maxBytes;
    }

    long ageNanos(long nowNanos) {
        return entries.isEmpty() ? 0 : nowNanos - firstAddedNanos;
    }

    /** The offsets to commit once every entry is durable: one past the last record of each partition. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Entry e : entries) {
            TopicPartition tp = new TopicPartition(e.record().topic(), e.record().partition());
            long next = e.record().offset() + 1;
            OffsetAndMetadata cur = out.get(tp);
            if (cur == null || cur.offset() < next) {
                out.put(tp, new OffsetAndMetadata(next));
            }
        }
        return out;
    }

    boolean hasAny(Collection<TopicPartition> partitions) {
        return entries.stream().anyMatch(e -> partitions.contains(
                new TopicPartition(e.record().topic(), e.record().partition())));
    }

    /**
     * Forgets the records of partitions this consumer no longer owns (their offsets were not committed, so the new
     * owner reads them again). Returns how many were forgotten.
     */
    int removePartitions(Collection<TopicPartition> partitions) {
        int before = entries.size();
        entries.removeIf(e -> partitions.contains(new TopicPartition(e.record().topic(), e.record().partition())));
        if (before != entries.size()) {
            bytes = entries.stream().mapToLong(e -> Math.max(0, e.record().serializedValueSize())).sum();
        }
        return before - entries.size();
    }

    void clear() {
        entries.clear();
        bytes = 0;
    }
}
