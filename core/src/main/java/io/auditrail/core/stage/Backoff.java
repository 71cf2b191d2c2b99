package io.auditrail.core.stage;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential back-off with equal jitter, the one every stage uses for retrying a service: after the n-th consecutive
 * failure wait a uniformly random time in [base/2, base], base = min(max, initial * 2^(n-1)). Half of the base is
 * kept (unlike full jitter's [0, base]) so that a recovering service is not hit again at once, while the other half
 * spreads the retries of many processes apart.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    /** Given a bound b, returns a value in [0, b): the randomness, injected for tests. */
    private final LongUnaryOperator random;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    public Backoff(Duration initial, Duration max, LongUnaryOperator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The base (no jitter) after {@code failures} consecutive failures. */
    public long baseMillis(int failures) {
        int shift = Math.max(0, Math.min(failures - 1, 40));
        long base = initialMillis << shift;
        return base <= 0 || base > maxMillis ? maxMillis : base;
    }

    /** The wait after {@code failures} consecutive failures. */
    public Duration delay(int failures) {
        long base = baseMillis(failures);
        long half = base / 2;
        return Duration.ofMillis(half + random.applyAsLong(base - half + 1));
    }

    /** Counts one more consecutive failure and returns how long to wait before the next try. */
    public Duration failed() {
        failures = Math.min(failures + 1, 1_000);
        return delay(failures);
    }

    /** A success ends the run of failures: the next failure waits the initial time again. */
    public void succeeded() {
        failures = 0;
    }

    /** Consecutive failures so far (0 after a success). */
    public int failures() {
        return failures;
    }
}
