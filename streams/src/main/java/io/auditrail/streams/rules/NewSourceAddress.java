package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.state.StateMap;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Fires when an actor already known (seen before, from any address) makes a request from an address it has not
 * used within the lookback period. An actor's very first request teaches its first address and does not fire.
 * State: {@code a|<subject>} and {@code s|<subject>|<address>}, each with the time last seen.
 */
public final class NewSourceAddress implements WindowedRule<LastSeen> {
    private final long lookbackMs;
    private final long refreshMs;

    public NewSourceAddress(Duration lookback) {
        this.lookbackMs = lookback.toMillis();
        this.refreshMs = Math.min(3_600_000, lookbackMs / 24);
    }

    @Override
    public RuleName name() {
        return RuleName.NEW_SOURCE_ADDRESS;
    }

    @Override
    public Class<LastSeen> stateType() {
        return LastSeen.class;
    }

    @Override
    public Optional<Finding> check(PairedEvent p, StateMap<LastSeen> state) {
        AuditEvent e = p.event();
        String address = e.actor() == null ? null : e.actor().remoteAddress();
        String subject = Subject.of(p);
        if (!p.isPrimary() || address == null || address.isEmpty() || subject.startsWith("addr:")
                || subject.equals(Subject.NONE)) {
            return Optional.empty();
        }
        long t = e.time().toEpochMilli();
        String actorKey = "a|" + subject;
        String sourceKey = "s|" + subject + "|" + address;
        LastSeen actor = state.get(actorKey);
        LastSeen source = state.get(sourceKey);
        touch(state, actorKey, actor, t);
        touch(state, sourceKey, source, t);
        boolean known = actor != null && actor.timeMs() > t - lookbackMs;
        boolean newAddress = source == null || source.timeMs() <= t - lookbackMs;
        if (!known || !newAddress) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, Finding.who(subject, e.actor()) + " seen from "
                + address + " for the first time in " + Duration.ofMillis(lookbackMs).toDays() + " days"));
    }

    /**
     * Moves a last-seen time on only when it moves by more than an hour (a 24th of shorter lookbacks): every event of an actor would
     * otherwise write two store entries (and their changelog records) to say what an hour-old time says as well
     * against a lookback of days. A decision at the lookback's edge may fall up to that hour earlier.
     */
    private void touch(StateMap<LastSeen> state, String key, LastSeen seen, long t) {
        if (seen == null || t - seen.timeMs() > refreshMs) {
            state.put(key, new LastSeen(seen == null ? t : Math.max(seen.timeMs(), t)));
        }
    }

    @Override
    public void expire(StateMap<LastSeen> state, Instant now) {
        long horizon = now.toEpochMilli() - lookbackMs;
        for (Map.Entry<String, LastSeen> e : state.entries()) {
            if (e.getValue().timeMs() <= horizon) {
                state.delete(e.getKey());
            }
        }
    }
}
