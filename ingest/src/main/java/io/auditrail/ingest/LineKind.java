package io.auditrail.ingest;

/** Where a framed line goes; stored with the line in the spool, and the DLQ metric tag. */
public enum LineKind {
    /** Up to {@code audit.max.line.bytes}: to the raw topic, byte-exact. */
    RAW,
    /** Longer than {@code audit.max.line.bytes}, up to {@code ingest.max.line.bytes}: whole, to the DLQ. */
    OVERSIZE,
    /** Longer than {@code ingest.max.line.bytes}: its head only, to the DLQ, with the original length. */
    OVERSIZE_TRUNCATED;

    private static final LineKind[] VALUES = values();

    static LineKind ofCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("unknown line kind " + code);
        }
        return VALUES[code];
    }
}
