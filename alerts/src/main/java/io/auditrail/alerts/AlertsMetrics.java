package io.auditrail.alerts;

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
 * actor. When idle: {@code anomalies.received = anomalies.skipped + anomalies routed}, and every routed anomaly has one
 * {@code deliveries} outcome per matched target.
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
    private final Counter received;
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);
    private final Map<String, Map<Outcome, Counter>> deliveries = new HashMap<>();
    private final Map<String, Map<AttemptResult, Counter>> attempts = new HashMap<>();
    private final Map<String, Timer> latency = new HashMap<>();
    private final Counter databaseRetries;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    public AlertsMetrics(MeterRegistry registry) {
        this.registry = registry;
        received = Counter.builder(PREFIX + "anomalies.received")
                .description("Records polled from the anomalies topic").register(registry);
        for (SkipReason r : SkipReason.values()) {
            skipped.put(r, Counter.builder(PREFIX + "anomalies.skipped").tag("reason", r.tag())
                    .description("Consumed records that make no delivery").register(registry));
        }
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
        received.increment();
    }

    void skipped(SkipReason reason) {
        skipped.get(reason).increment();
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
        return (long) received.count();
    }

    public long skippedCount(SkipReason reason) {
        return (long) skipped.get(reason).count();
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
