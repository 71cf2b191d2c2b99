package io.auditrail.ingest;

/**
 * Lets one warning of a kind through per interval and counts the ones held back, so a flood of refused connections
 * or lines is reported without flooding the log. Not thread-safe: one owner thread.
 */
final class LogThrottle {
    private final long everyNanos;
    private long lastNanos;
    private boolean logged;
    private long held;

    LogThrottle(long everyNanos) {
        this.everyNanos = everyNanos;
    }

    /**
     * Whether to log now; when it says yes, {@link #heldBack()} tells how many were suppressed since the last one.
     */
    boolean allow(long nowNanos) {
        if (logged && nowNanos - lastNanos < everyNanos) {
            held++;
            return false;
        }
        logged = true;
        lastNanos = nowNanos;
        return true;
    }

    /** Suppressed since the last allowed warning; resets the count. */
    long heldBack() {
        long h = held;
        held = 0;
        return h;
    }
}
