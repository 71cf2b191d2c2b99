package io.auditrail.streams;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Carries the archive replay mark ({@link io.auditrail.core.topic.RecordHeaders#REPLAY_ORIGIN}) from a raw line to the
 * events and anomalies it leads to. Those records are built anew (pairing and detection forward new records), so the
 * header would otherwise be lost, and alerts could not tell a replayed anomaly from a live one.
 */
final class ReplayMark {
    private ReplayMark() {
    }

    /** Only the replay mark of {@code in}, or no headers when it has none. */
    static Headers of(Headers in) {
        Headers out = new RecordHeaders();
        Header mark = in.lastHeader(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN);
        if (mark != null) {
            out.add(mark);
        }
        return out;
    }
}
