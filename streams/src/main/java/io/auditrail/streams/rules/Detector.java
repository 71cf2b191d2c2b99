package io.auditrail.streams.rules;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.state.StateMap;
import io.auditrail.streams.state.StateMaps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the rules over events and merges their findings into anomalies. The same class serves the topology (state
 * in Kafka stores) and {@code auditrail inspect} (state in memory). Time is event time; {@link #expire} takes the
 * latest event time seen. Not thread-safe: one per processor task.
 */
public final class Detector {
    private final RuleBook book;
    private final List<EventRule> stateless;
    private final List<Bound<?>> windowed;
    private final AnomalyMerger merger;

    Detector(RuleBook book, List<EventRule> stateless, List<Bound<?>> windowed, AnomalyMerger merger) {
        this.book = book;
        this.stateless = List.copyOf(stateless);
        this.windowed = List.copyOf(windowed);
        this.merger = merger;
    }

    /**
     * Whether any rule can find anything in this event: the one event per Vault request that rules look at
     * ({@link PairedEvent#isPrimary}), or any entry holding an unhashed token. A paired response repeats its request,
     * so the topology sends only these to detection and halves what crosses the repartition by subject.
     */
    public static boolean reads(PairedEvent event) {
        return event.isPrimary() || !event.event().rawLogging().isEmpty();
    }

    /** The anomalies this event raises now (first firings; repeats only count until their window closes). */
    public List<Anomaly> accept(PairedEvent event) {
        List<Anomaly> out = new ArrayList<>(0);
        for (EventRule r : stateless) {
            r.check(event).ifPresent(f -> merge(f, out));
        }
        for (Bound<?> b : windowed) {
            if (book.enabled(b.rule().name())) {
                b.check(event).ifPresent(f -> merge(f, out));
            }
        }
        return out;
    }

    /** Closes merge windows and forgets rule state that ended by {@code now}; returns the merged anomalies. */
    public List<Anomaly> expire(Instant now) {
        for (Bound<?> b : windowed) {
            b.expire(now);
        }
        return merger.expire(now);
    }

    /** Closes every merge window: the end of an offline input. */
    public List<Anomaly> flush() {
        return merger.flush();
    }

    private void merge(Finding f, List<Anomaly> out) {
        merger.accept(f, book.severity(f.rule()), book.mergeWindow(f.rule())).ifPresent(out::add);
    }

    /** A windowed rule with its state. */
    record Bound<S>(WindowedRule<S> rule, StateMap<S> state) {
        static <S> Bound<S> open(WindowedRule<S> rule, StateMaps states) {
            return new Bound<>(rule, states.open(RuleBook.storeName(rule.name()), rule.stateType()));
        }

        Optional<Finding> check(PairedEvent event) {
            return rule.check(event, state);
        }

        void expire(Instant now) {
            rule.expire(state, now);
        }
    }
}
