package io.auditrail.reports.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, from any thread (idle and absolute expiry, budgets, caches without waiting). */
public final class MovingClock extends Clock {
    private volatile Instant now;

    public MovingClock(Instant start) {
        this.now = start;
    }

    public void set(Instant t) {
        now = t;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
