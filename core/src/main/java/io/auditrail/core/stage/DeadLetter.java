package io.auditrail.core.stage;

import io.auditrail.core.topic.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of a record sent to {@code vault.audit.dlq}, the same whichever stage gives up on it: the failure kind,
 * a one-line reason that never quotes the record, the stage, and where the record came from when it had a place.
 */
public final class DeadLetter {
    private DeadLetter() {
    }

    /**
     * Sets the dead-letter headers on {@code headers} (a new record's, or the original's), replacing any it already
     * had: a record dead-lettered before, then replayed, carries only the newest verdict.
     *
     * @param failure a failure kind, written upper-case as the header always was ({@code NOT_JSON}); metrics take
     *                {@link #reasonTag} of it
     * @param origin  {@code topic/partition/offset} of the record given up on, or null when it had none yet
     */
    public static Headers add(Headers headers, String failure, String reason, String stage, String origin) {
        set(headers, RecordHeaders.DLQ_FAILURE, failure.toUpperCase(Locale.ROOT));
        set(headers, RecordHeaders.DLQ_REASON, reason);
        set(headers, RecordHeaders.DLQ_STAGE, stage);
        headers.remove(RecordHeaders.DLQ_ORIGIN);
        if (origin != null) {
            headers.add(RecordHeaders.DLQ_ORIGIN, utf8(origin));
        }
        return headers;
    }

    /** Where a record sits: {@code topic/partition/offset}. */
    public static String origin(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** A failure kind as a metric tag: lower-case, as every tag of {@link StageRecords}. */
    public static String reasonTag(String failure) {
        return failure.toLowerCase(Locale.ROOT);
    }

    private static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, utf8(value));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
