package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.state.StateMap;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Fires when an actor's reads in one minute (per tenant) reach {@code factor} times its own baseline and at
 * least {@code minReads}, once the actor has been observed for {@code warmup} minutes. The baseline is an
 * exponentially weighted average of reads per minute, quiet minutes included, with the given half-life.
 */
public final class ReadRateSpike implements WindowedRule<ReadRate> {
    private static final long MINUTE_MS = 60_000;
    private static final long FORGET_AFTER_MINUTES = 7 * 24 * 60;

    private final double factor;
    private final long minReads;
    private final long warmupMinutes;
    private final double decayPerMinute;

    public ReadRateSpike(double factor, long minReads, long warmupMinutes, long halfLifeMinutes) {
        this.factor = factor;
        this.minReads = minReads;
        this.warmupMinutes = warmupMinutes;
        this.decayPerMinute = Math.pow(0.5, 1.0 / halfLifeMinutes);
    }

    @Override
    public RuleName name() {
        return RuleName.READ_RATE_SPIKE;
    }

    @Override
    public Class<ReadRate> stateType() {
        return ReadRate.class;
    }

    @Override
    public Optional<Finding> check(PairedEvent p, StateMap<ReadRate> state) {
        AuditEvent e = p.event();
        if (!p.isPrimary() || !"read".equals(e.operation())) {
            return Optional.empty();
        }
        String subject = Subject.of(p);
        String key = subject + "|" + (e.tenantId() == null ? "-" : e.tenantId());
        long minute = Math.floorDiv(e.time().toEpochMilli(), MINUTE_MS);
        ReadRate r = state.get(key);
        if (r == null) {
            r = new ReadRate(minute, 0, 0.0, 0);
        } else if (minute > r.minute()) {
            r = roll(r, minute);
        }
        // a late event of an earlier minute counts in the current one: the baseline never goes back in time
        r = new ReadRate(r.minute(), r.count() + 1, r.baseline(), r.observedMinutes());
        state.put(key, r);
        boolean spike = r.observedMinutes() >= warmupMinutes && r.count() >= minReads
                && r.count() >= factor * r.baseline();
        if (!spike) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, r.count() + " reads by " + Finding.who(subject, e.actor())
                + " in tenant " + e.tenantId() + " within a minute, baseline " + String.format("%.1f", r.baseline())
                + " per minute"));
    }

    /** Folds the finished minute and the quiet minutes after it into the baseline. */
    private ReadRate roll(ReadRate r, long minute) {
        long elapsed = minute - r.minute();
        double baseline = r.baseline() * decayPerMinute + r.count() * (1 - decayPerMinute);
        if (elapsed > 1) {
            baseline *= Math.pow(decayPerMinute, Math.min(elapsed - 1, FORGET_AFTER_MINUTES));
        }
        return new ReadRate(minute, 0, baseline, r.observedMinutes() + elapsed);
    }

    @Override
    public void expire(StateMap<ReadRate> state, Instant now) {
        long minute = Math.floorDiv(now.toEpochMilli(), MINUTE_MS);
        for (Map.Entry<String, ReadRate> e : state.entries()) {
            if (minute - e.getValue().minute() > FORGET_AFTER_MINUTES) {
                state.delete(e.getKey());
            }
        }
    }
}
