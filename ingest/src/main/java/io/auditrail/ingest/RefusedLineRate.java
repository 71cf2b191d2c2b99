package io.auditrail.ingest;

/**
 * A token bucket of bytes for refused lines kept aside on the dead-letter topic ({@code
 * ingest.refused.max.bytes.per.second}, a burst of one second's worth): refused lines share the spool with Vault's,
 * and whoever sends them must not be able to fill it. The caller supplies the time. Not thread-safe: the receiver's.
 */
final class RefusedLineRate {
    private final long bytesPerSecond;
    private double tokens;
    private long lastNanos;
    private boolean started;

    RefusedLineRate(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    /** Takes {@code bytes} if the bucket holds them. */
    boolean tryTake(long bytes, long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
        }
        tokens = Math.min(bytesPerSecond, tokens + (nowNanos - lastNanos) * (bytesPerSecond / 1e9));
        lastNanos = nowNanos;
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }
}
