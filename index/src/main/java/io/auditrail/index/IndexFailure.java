package io.auditrail.index;

import java.util.Locale;

/**
 * Why a record could never be written: the {@code auditrail.dlq.failure} header on {@code vault.audit.dlq} and the
 * {@code reason} tag (lower case) of {@code auditrail.index.records{outcome=dlq}}.
 */
public enum IndexFailure {
    /** The value of {@code vault.audit.events} is not an event object (not JSON, wrong shape, a tombstone). */
    NOT_AN_EVENT,
    /** The value of {@code vault.audit.anomalies} is not an anomaly object. */
    NOT_AN_ANOMALY,
    /** A field the index needs is absent: event_id, time, type, outcome; anomaly_id, rule, severity, actor, window. */
    MISSING_FIELD,
    /** An event or anomaly id that is not a UUID. */
    BAD_ID,
    /** A text value holds U+0000, which PostgreSQL text and jsonb cannot store. */
    NUL_CHARACTER,
    /** An event dated beyond the partitions created ahead (index.partitions.ahead.days): a wrong clock. */
    TIME_OUT_OF_RANGE,
    /** PostgreSQL refused the row itself (a constraint, a value too large for an index), found by bisecting. */
    REJECTED_BY_DATABASE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
