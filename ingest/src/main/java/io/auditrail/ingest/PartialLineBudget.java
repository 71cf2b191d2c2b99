package io.auditrail.ingest;

/**
 * The heap every connection together may hold in lines not finished yet ({@code ingest.partial.lines.max.bytes}):
 * without it, 32 peers each sending 8 MiB without a newline fill a 256 MiB heap. Each {@link LineFramer} reserves
 * what its buffer grows by and gives back what it drops. When a reservation does not fit, the {@link Relief} (the
 * receiver) may close other connections to make room; if it does not free enough, the reservation fails and the
 * framer's connection is closed instead. Used by the receiver thread only; {@link #used()} may be read by any.
 */
final class PartialLineBudget {
    /** Frees room for a reservation by closing connections other than the one asking. */
    @FunctionalInterface
    interface Relief {
        /**
         * @param requester the framer whose reservation does not fit (never to be closed from here)
         * @param needed    bytes to free for it to fit
         */
        void relieve(LineFramer requester, long needed);
    }

    private final long max;
    private Relief relief = (requester, needed) -> { };
    private volatile long used;

    PartialLineBudget(long max) {
        this.max = max;
    }

    /** A budget that never refuses (the file importer: one file at a time, its lines bounded by the line limit). */
    static PartialLineBudget unbounded() {
        return new PartialLineBudget(Long.MAX_VALUE);
    }

    void relief(Relief relief) {
        this.relief = relief;
    }

    /** Takes {@code bytes} for {@code requester}, after asking the relief for room if needed; false if refused. */
    boolean reserve(LineFramer requester, long bytes) {
        if (used + bytes > max) {
            relief.relieve(requester, used + bytes - max);
            if (used + bytes > max) {
                return false;
            }
        }
        used += bytes;
        return true;
    }

    void release(long bytes) {
        used -= bytes;
    }

    long used() {
        return used;
    }

    long max() {
        return max;
    }
}
