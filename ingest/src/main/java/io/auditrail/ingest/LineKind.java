package io.auditrail.ingest;

/** Where a framed line goes; stored with the line in the spool (by ordinal: add new kinds last), and the DLQ metric tag. */
public enum LineKind {
    /** Up to {@code audit.max.line.bytes}: to the raw topic, byte-exact. */
    RAW,
    /** Longer than {@code audit.max.line.bytes}, up to {@code ingest.max.line.bytes}: whole, to the DLQ. */
    OVERSIZE,
    /** Longer than {@code ingest.max.line.bytes}: its head only, to the DLQ, with the original length. */
    OVERSIZE_TRUNCATED,
    /**
     * From an allowed address, without any of {@code ingest.auth.prefixes} at its start: at most its first 4 KiB, to
     * the DLQ (never to the raw topic, so never indexed, alerted on or archived as Vault's).
     */
    PREFIX_REFUSED,
    /** The first line (at most 4 KiB) of a peer outside {@code ingest.allowed.cidrs}, to the DLQ; then it is closed. */
    PEER_REFUSED;

    private static final LineKind[] VALUES = values();

    static LineKind ofCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("unknown line kind " + code);
        }
        return VALUES[code];
    }
}
