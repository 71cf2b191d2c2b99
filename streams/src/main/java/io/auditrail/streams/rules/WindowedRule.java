package io.auditrail.streams.rules;

import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.state.StateMap;
import java.time.Instant;
import java.util.Optional;

/**
 * A rule that counts over time. Its memory lives in the {@link StateMap} it is handed (a Kafka store in the
 * topology, a map in {@code inspect}); time is the events' own, so a replay decides exactly as the live run did.
 *
 * @param <S> the state kept per key; a JSON-serialisable record
 */
public interface WindowedRule<S> {
    RuleName name();

    Class<S> stateType();

    Optional<Finding> check(PairedEvent event, StateMap<S> state);

    /** Forgets state no later event can use any more; {@code now} is the latest event time seen. */
    void expire(StateMap<S> state, Instant now);
}
