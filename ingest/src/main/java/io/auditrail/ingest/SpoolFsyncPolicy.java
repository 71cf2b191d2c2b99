package io.auditrail.ingest;

import java.util.Locale;

/**
 * When spooled lines are forced to the disk. A line counts as accepted once it is written to the spool file
 * (the operating system holds it), so every policy survives a killed process; they differ on a power loss.
 */
public enum SpoolFsyncPolicy {
    /** Never fsync; the operating system writes back within its own interval (about 30 s on Linux). */
    NEVER,
    /** fsync the active segment every {@code ingest.spool.fsync.interval.ms}: a power loss loses at most that. */
    INTERVAL,
    /** fsync after every batch of lines read from the sockets, before reading more: slowest, loses nothing. */
    ALWAYS;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SpoolFsyncPolicy of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
