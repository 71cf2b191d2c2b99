package io.auditrail.alerts;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential back-off with full jitter (the AWS architecture blog's "full jitter"): after the n-th consecutive failure
 * wait a uniformly random time in [base/2, base], base = min(max, initial * 2^(n-1)). Keeping half of the base avoids
 * hammering a recovering target with near-zero waits while still spreading retries of many stages apart.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    /** Given a bound b, returns a value in [0, b): the randomness, injected for tests. */
    private final LongUnaryOperator random;

    Backoff(Duration initial, Duration max, LongUnaryOperator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The base (no jitter) after {@code failures} consecutive failures, at least 1. */
    long baseMillis(int failures) {
        int shift = Math.max(0, Math.min(failures - 1, 40));
        long base = initialMillis << shift;
        return base <= 0 || base > maxMillis ? maxMillis : base;
    }

    Duration delay(int failures) {
        long base = baseMillis(failures);
        long half = base / 2;
        return Duration.ofMillis(half + random.applyAsLong(base - half + 1));
    }
}
