package io.auditrail.alerts;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: per partition, records in poll order with a future that completes when all of the
 * record's deliveries finished (delivered, or given up on and recorded). An offset is released only once every
 * record before it is done, so a slow target delays the commit but never skips a record. Loop thread only.
 */
final class CommitTracker {
    private record Entry(long offset, Future<?> done) {
    }

    private final Map<TopicPartition, ArrayDeque<Entry>> byPartition = new HashMap<>();
    private int size;

    void add(TopicPartition partition, long offset, Future<?> done) {
        byPartition.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(new Entry(offset, done));
        size++;
    }

    /** Removes the done prefix of each partition; returns the offsets to commit (next offset to read). */
    Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        byPartition.forEach((p, q) -> {
            long last = -1;
            while (!q.isEmpty() && q.peekFirst().done().isDone()) {
                last = q.removeFirst().offset();
                size--;
            }
            if (last >= 0) {
                out.put(p, new OffsetAndMetadata(last + 1));
            }
        });
        byPartition.values().removeIf(ArrayDeque::isEmpty);
        return out;
    }

    /** Partitions this consumer no longer owns: their records are read again by the new owner. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            ArrayDeque<Entry> q = byPartition.remove(p);
            if (q != null) {
                size -= q.size();
            }
        }
    }

    int size() {
        return size;
    }
}
