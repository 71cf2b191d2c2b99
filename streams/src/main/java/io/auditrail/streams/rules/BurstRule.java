package io.auditrail.streams.rules;

import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.state.StateMap;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Counts matching events per subject within one tenant ({@link Subject#withinTenant}) in a sliding window of event
 * time and fires on each event that makes {@code threshold} within the window. The state per key is the recent event
 * times.
 */
abstract class BurstRule implements WindowedRule<RecentEvents> {
    private final int threshold;
    private final long windowMs;

    BurstRule(int threshold, Duration window) {
        this.threshold = threshold;
        this.windowMs = window.toMillis();
    }

    /** Whether the event counts towards a burst. */
    abstract boolean counts(PairedEvent event);

    abstract String describe(PairedEvent trigger, String subject, int count, Duration window);

    @Override
    public final Class<RecentEvents> stateType() {
        return RecentEvents.class;
    }

    @Override
    public final Optional<Finding> check(PairedEvent event, StateMap<RecentEvents> state) {
        if (!event.isPrimary() || !counts(event)) {
            return Optional.empty();
        }
        String subject = Subject.of(event);
        String key = Subject.withinTenant(event.event().tenantId(), subject);
        RecentEvents before = state.get(key);
        long time = event.event().time().toEpochMilli();
        RecentEvents now = (before == null ? RecentEvents.EMPTY : before)
                .plus(time, event.event().eventId(), windowMs, threshold);
        state.put(key, now);
        RecentEvents.Window burst = now.densestAround(time, windowMs, threshold);
        if (burst.size() < threshold) {
            return Optional.empty();
        }
        return Optional.of(new Finding(name(), subject, event.event().time(), burst.eventIds(),
                describe(event, subject, burst.size(), Duration.ofMillis(windowMs)), event));
    }

    @Override
    public final void expire(StateMap<RecentEvents> state, Instant now) {
        long horizon = now.toEpochMilli() - windowMs;
        for (Map.Entry<String, RecentEvents> e : state.entries()) {
            if (e.getValue().newest() <= horizon) {
                state.delete(e.getKey());
            }
        }
    }
}
