package io.auditrail.streams;

import io.auditrail.core.event.RawPosition;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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

    /**
     * Where a replayed line sits in the archive (its original {@code vault.audit.raw} partition and offset), so the
     * index keeps pointing at the archived line and not at the replayed copy, which the archiver does not store.
     * Empty for a live line or an unreadable mark.
     */
    static Optional<RawPosition> originalPosition(Headers in) {
        Header mark = in.lastHeader(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN);
        if (mark == null) {
            return Optional.empty();
        }
        String text = new String(mark.value(), StandardCharsets.UTF_8);
        int slash = text.indexOf('/');
        try {
            return Optional.of(new RawPosition(Integer.parseInt(text.substring(0, slash)),
                    Long.parseLong(text.substring(slash + 1))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
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

    /** The mark's text, to keep beside state (an entry waiting in the pairing store), or null for a live line. */
    static String text(Headers in) {
        Header mark = in.lastHeader(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN);
        return mark == null ? null : new String(mark.value(), StandardCharsets.UTF_8);
    }

    /** Headers holding the mark {@link #text} kept, or none when it was null. */
    static Headers ofText(String text) {
        Headers out = new RecordHeaders();
        if (text != null) {
            out.add(io.auditrail.core.topic.RecordHeaders.REPLAY_ORIGIN, text.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
