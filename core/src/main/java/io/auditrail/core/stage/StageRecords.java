package io.auditrail.core.stage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one outcome counter family every stage emits: {@code auditrail.<stage>.records{outcome, reason}}
 * ({@code auditrail_<stage>_records_total} in Prometheus), lower-case tags. Every record a stage takes in is
 * {@code received}, and ends as exactly one of {@code sent}, {@code dlq}, {@code dropped}, {@code skipped} or
 * {@code duplicate}, so "nothing lost" is one comparison ({@link #unaccounted}) in every stage and every test.
 * Reasons come from closed sets (failure kinds, enum names): never a tenant, path or address.
 */
public final class StageRecords {
    /** What became of a record. */
    public enum Outcome {
        /** Taken in (read from the socket, polled from a topic). */
        RECEIVED,
        /** Passed on: produced, written as a row, archived, delivered. */
        SENT,
        /** Sent to the dead-letter topic, with its reason. */
        DLQ,
        /** Given up without a copy kept (counted by reason; e.g. a half line at connection close). */
        DROPPED,
        /** Deliberately not passed on (e.g. a replayed anomaly alerts leave alone, a row past retention). */
        SKIPPED,
        /** Already passed on before (the same event id). */
        DUPLICATE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The reason tag of outcomes that need none. */
    public static final String NO_REASON = "none";

    private final MeterRegistry registry;
    private final String name;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public StageRecords(MeterRegistry registry, String stage) {
        this.registry = registry;
        this.name = "auditrail." + stage + ".records";
    }

    public void count(Outcome outcome, String reason, long n) {
        if (n == 0) {
            return;
        }
        counter(outcome, reason).increment(n);
    }

    /**
     * Registers the series at 0 before anything happened. An alert on {@code increase(...) > 0} sees nothing of a
     * series whose first sample is already 1, so a stage declares the outcomes such an alert watches (a drop) at start.
     */
    public void declare(Outcome outcome, String reason) {
        counter(outcome, reason);
    }

    private Counter counter(Outcome outcome, String reason) {
        String r = reason == null || reason.isEmpty() ? NO_REASON : reason.toLowerCase(Locale.ROOT);
        return counters.computeIfAbsent(outcome.tag() + "|" + r, k -> Counter.builder(name)
                .tag("outcome", outcome.tag()).tag("reason", r).description("records by what became of them")
                .register(registry));
    }

    public void received(long n) {
        count(Outcome.RECEIVED, null, n);
    }

    public void sent(long n) {
        count(Outcome.SENT, null, n);
    }

    public void dlq(String reason, long n) {
        count(Outcome.DLQ, reason, n);
    }

    public void dropped(String reason, long n) {
        count(Outcome.DROPPED, reason, n);
    }

    public void skipped(String reason, long n) {
        count(Outcome.SKIPPED, reason, n);
    }

    public void duplicate(long n) {
        count(Outcome.DUPLICATE, null, n);
    }

    /** Every record with this outcome so far, whatever the reason. */
    public double total(Outcome outcome) {
        String prefix = outcome.tag() + "|";
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(e -> e.getValue().count()).sum();
    }

    /** Records with this outcome and reason so far. */
    public double total(Outcome outcome, String reason) {
        Counter c = counters.get(outcome.tag() + "|" + reason.toLowerCase(Locale.ROOT));
        return c == null ? 0 : c.count();
    }

    /**
     * Received minus every end a record can have: 0 when nothing is lost or in flight. Positive while records are
     * still on their way (a batch not yet written), never negative.
     */
    public double unaccounted() {
        double ended = 0;
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.RECEIVED) {
                ended += total(o);
            }
        }
        return total(Outcome.RECEIVED) - ended;
    }
}
