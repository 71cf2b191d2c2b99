package io.auditrail.alerts;

import io.auditrail.core.stage.StageRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every outcome of the alerts stage as Micrometer meters (Prometheus names {@code auditrail_alerts_*}). Tags hold only
 * bounded values: a target name (from the operator's file), an outcome, a skip reason; never a tenant, rule value or
 * actor. Two levels, because one anomaly goes to several targets:
 * <ul>
 *   <li>records, in the kit's family {@code auditrail.alerts.records{outcome, reason}}: every record polled is
 *   {@code received}, and ends {@code skipped} by {@link SkipReason} (a throttled one too, reason {@code throttled}),
 *   {@code duplicate} (every matched target had it already), {@code sent} (delivered to every target it went to)
 *   or {@code dropped} with reason {@code gave_up} (at least one target gave up; the table says which);</li>
 *   <li>deliveries, {@code deliveries{target, outcome}}: one final outcome per (anomaly, revision, target), the
 *   series the on-call alert watches, kept as it was.</li>
 * </ul>
 * When idle received = skipped + duplicate + sent + dropped, and every routed anomaly has one {@code deliveries}
 * outcome per matched target.
 */
public final class AlertsMetrics {
    private static final String PREFIX = "auditrail.alerts.";

    /** Why a consumed record makes no delivery. */
    public enum SkipReason {
        /** Re-published from the archive ({@code auditrail.replay.origin} header): replays never alert twice. */
        REPLAY,
        /** Not an anomaly (index sends the same record to the dead-letter topic; alerts only counts it). */
        NOT_AN_ANOMALY,
        /** No route matched. */
        UNROUTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How one (anomaly, revision, target) ended, as counted. */
    public enum Outcome {
        DELIVERED, GAVE_UP, THROTTLED,
        /** Already recorded as finished (re-consumption): not sent again. */
        DUPLICATE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How one HTTP attempt went. */
    public enum AttemptResult {
        OK, RETRYABLE, REJECTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    /** The reason of a record whose deliveries were throttled. */
    static final String THROTTLED = "throttled";
    /** The reason of a record that at least one target gave up on. */
    static final String GAVE_UP = "gave_up";

    private final StageRecords records;
    private final Map<String, Map<Outcome, Counter>> deliveries = new HashMap<>();
    private final Map<String, Map<AttemptResult, Counter>> attempts = new HashMap<>();
    private final Map<String, Timer> latency = new HashMap<>();
    private final Counter databaseRetries;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    public AlertsMetrics(MeterRegistry registry) {
        this.registry = registry;
        records = new StageRecords(registry, AlertsStage.STAGE);
        records.declare(StageRecords.Outcome.RECEIVED, null);
        for (SkipReason r : SkipReason.values()) {
            records.declare(StageRecords.Outcome.SKIPPED, r.tag());
        }
        records.declare(StageRecords.Outcome.DROPPED, GAVE_UP);
        databaseRetries = Counter.builder(PREFIX + "database.retries")
                .description("PostgreSQL calls that failed and were retried after a back-off").register(registry);
        Gauge.builder(PREFIX + "consumer.lag", lag, AtomicLong::get)
                .description("Records on the assigned partitions not yet polled").register(registry);
        Gauge.builder(PREFIX + "pending.records", pending, AtomicLong::get)
                .description("Polled records whose offsets wait for deliveries to finish").register(registry);
    }

    /** Registers the per-target meters, so every target shows zeros before its first anomaly. */
    void target(String name, Supplier<Number> queueSize) {
        Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            byOutcome.put(o, Counter.builder(PREFIX + "deliveries").tag("target", name).tag("outcome", o.tag())
                    .description("Final outcomes of (anomaly, revision, target)").register(registry));
        }
        deliveries.put(name, byOutcome);
        Map<AttemptResult, Counter> byResult = new EnumMap<>(AttemptResult.class);
        for (AttemptResult r : AttemptResult.values()) {
            byResult.put(r, Counter.builder(PREFIX + "delivery.attempts").tag("target", name).tag("result", r.tag())
                    .description("HTTP requests to targets").register(registry));
        }
        attempts.put(name, byResult);
        latency.put(name, Timer.builder(PREFIX + "delivery.latency").tag("target", name)
                .description("From consuming an anomaly to its delivery (or giving up) at one target")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry));
        Gauge.builder(PREFIX + "target.queue.size", queueSize).tag("target", name)
                .description("Deliveries waiting for a target").register(registry);
    }

    void received() {
        records.received(1);
    }

    void skipped(SkipReason reason) {
        records.skipped(reason.tag(), 1);
    }

    /** A routed record whose open deliveries were all throttled. */
    void throttledRecord() {
        records.skipped(THROTTLED, 1);
    }

    /** A routed record every matched target had finished before (re-consumed). */
    void duplicateRecord() {
        records.duplicate(1);
    }

    /** A routed record whose deliveries all finished: sent when every one was delivered. */
    void deliveredRecord(boolean everyTargetDelivered) {
        if (everyTargetDelivered) {
            records.sent(1);
        } else {
            records.dropped(GAVE_UP, 1);
        }
    }

    /** The stage's records by outcome: received = skipped + duplicate + sent + dropped when nothing is in flight. */
    public StageRecords records() {
        return records;
    }

    void outcome(String target, Outcome outcome) {
        deliveries.get(target).get(outcome).increment();
    }

    void attempt(String target, AttemptResult result) {
        attempts.get(target).get(result).increment();
    }

    void latency(String target, long nanos) {
        latency.get(target).record(nanos, TimeUnit.NANOSECONDS);
    }

    void databaseRetry() {
        databaseRetries.increment();
    }

    void lag(long records) {
        lag.set(records);
    }

    void pending(long records) {
        pending.set(records);
    }

    public long receivedCount() {
        return (long) records.total(StageRecords.Outcome.RECEIVED);
    }

    public long skippedCount(SkipReason reason) {
        return (long) records.total(StageRecords.Outcome.SKIPPED, reason.tag());
    }

    /** Zero for a target the file does not name. */
    public long outcomes(String target, Outcome outcome) {
        Map<Outcome, Counter> m = deliveries.get(target);
        return m == null ? 0 : (long) m.get(outcome).count();
    }

    public long attempts(String target, AttemptResult result) {
        Map<AttemptResult, Counter> m = attempts.get(target);
        return m == null ? 0 : (long) m.get(result).count();
    }

    public long lagRecords() {
        return lag.get();
    }

    public long pendingRecords() {
        return pending.get();
    }
}
