package io.auditrail.ingest;

import java.util.Locale;

/** Why a line that ingest read was not delivered anywhere; every value is a bug or an operator's choice. */
public enum DropReason {
    /** The spool was full and {@code ingest.spool.full.policy=reject}. */
    SPOOL_FULL,
    /** Writing to the spool failed (disk full, I/O error). */
    SPOOL_WRITE_FAILED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
