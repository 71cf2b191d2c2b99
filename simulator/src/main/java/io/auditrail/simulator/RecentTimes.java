package io.auditrail.simulator;

/**
 * The last {@code cap} times of one kind of event of one client: enough to know whether another one would make
 * {@code cap} within the window. Keeps normal traffic under the detection thresholds by construction.
 */
final class RecentTimes {
    private final long[] times;
    private final long windowNanos;
    private int next;
    private int size;

    RecentTimes(int cap, long windowNanos) {
        this.times = new long[cap];
        this.windowNanos = windowNanos;
    }

    /** Whether {@code cap} events already fall within the window ending at {@code now}. */
    boolean full(long now) {
        return size == times.length && times[next] > now - windowNanos;
    }

    void add(long now) {
        times[next] = now;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }
}
