package io.auditrail.ingest;

import java.util.Locale;

/** Why a line that ingest read was not delivered anywhere; every value is a bug, an operator's choice or an attack. */
public enum DropReason {
    /** The spool was full and {@code ingest.spool.full.policy=reject}. */
    SPOOL_FULL,
    /** Writing to the spool failed (disk full, I/O error). */
    SPOOL_WRITE_FAILED,
    /**
     * A refused line (prefix or peer refused) beyond {@code ingest.refused.max.bytes.per.second}: counted, not kept,
     * so whoever sends them cannot fill the spool Vault's lines need. A flood of them is an attack, or a Vault whose
     * prefix does not match (its file device still has the lines: docs/runbooks/audit-pipeline-down.md).
     */
    REFUSED_OVER_RATE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
