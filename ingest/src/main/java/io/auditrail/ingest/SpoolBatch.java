package io.auditrail.ingest;

import java.util.List;

/**
 * Consecutive records read from the spool. {@code endPosition} is what {@link DiskSpool#release(long)} takes once
 * Kafka has acknowledged every record of this batch and of all batches before it.
 */
public record SpoolBatch(List<SpoolRecord> records, long startPosition, long endPosition) {
    public boolean isEmpty() {
        return records.isEmpty();
    }

    public int size() {
        return records.size();
    }
}
