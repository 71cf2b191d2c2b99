package io.auditrail.index;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every outcome of the index stage as Micrometer meters (Prometheus names {@code auditrail_index_*}); tags hold only
 * bounded values (a topic kind, a table, a failure kind). Outcomes are counted once the batch is durable (rows
 * committed, dead letters acknowledged). When the stage is idle:
 * {@code records.received = rows.written + rows.duplicate + records.dlq + records.skipped + records.returned}.
 */
public final class IndexMetrics {
    private static final String PREFIX = "auditrail.index.";

    /** The two inputs, and the two tables they become. */
    public enum Kind {
        EVENT, ANOMALY;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a database or Kafka call is retried. */
    public enum RetryCause {
        DATABASE, KAFKA
    }

    private final Map<Kind, Counter> received = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> written = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> duplicates = new EnumMap<>(Kind.class);
    private final Map<IndexFailure, Counter> dlq = new EnumMap<>(IndexFailure.class);
    private final Map<RetryCause, Counter> retries = new EnumMap<>(RetryCause.class);
    private final Counter expired;
    private final Counter returned;
    private final Counter batches;
    private final Timer batchLatency;
    private final Counter partitionsCreated;
    private final Counter partitionsDropped;
    private final Counter rowsDropped;
    private final Counter retentionFailures;
    private final AtomicLong lag = new AtomicLong();
    /** Epoch seconds of the oldest day partition left; -1 before the first retention run. */
    private final AtomicLong oldestRetainedDay = new AtomicLong(-1);

    public IndexMetrics(MeterRegistry registry) {
        for (Kind k : Kind.values()) {
            received.put(k, Counter.builder(PREFIX + "records.received").tag("kind", k.tag())
                    .description("Records polled from the events or anomalies topic").register(registry));
            written.put(k, Counter.builder(PREFIX + "rows.written").tag("kind", k.tag())
                    .description("Rows inserted (events) or inserted/raised to a higher revision (anomalies)")
                    .register(registry));
            duplicates.put(k, Counter.builder(PREFIX + "rows.duplicate").tag("kind", k.tag())
                    .description("Records already in the index (re-delivery, replay) or a stale anomaly revision")
                    .register(registry));
        }
        for (IndexFailure f : IndexFailure.values()) {
            dlq.put(f, Counter.builder(PREFIX + "records.dlq").tag("failure", f.tag())
                    .description("Records that can never be written, acknowledged on the dead-letter topic")
                    .register(registry));
        }
        for (RetryCause c : RetryCause.values()) {
            retries.put(c, Counter.builder(PREFIX + "retries").tag("cause", c.name().toLowerCase(Locale.ROOT))
                    .description("Batch attempts that failed on an unreachable service and were retried")
                    .register(registry));
        }
        expired = Counter.builder(PREFIX + "records.skipped").tag("reason", "expired")
                .description("Events dated before the retention period (their partition is or would be dropped)")
                .register(registry);
        returned = Counter.builder(PREFIX + "records.returned")
                .description("Records given back unwritten when their partition moved to another consumer "
                        + "(the new owner reads them again)").register(registry);
        batches = Counter.builder(PREFIX + "batches").description("Batches made durable").register(registry);
        batchLatency = Timer.builder(PREFIX + "batch.latency")
                .description("From the start of a batch's write to its offsets being committed")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        partitionsCreated = Counter.builder(PREFIX + "partitions.created").register(registry);
        partitionsDropped = Counter.builder(PREFIX + "partitions.dropped")
                .description("Day partitions dropped by retention").register(registry);
        rowsDropped = Counter.builder(PREFIX + "retention.rows.dropped")
                .description("Event rows removed with their partitions by retention").register(registry);
        retentionFailures = Counter.builder(PREFIX + "retention.failures").register(registry);
        Gauge.builder(PREFIX + "consumer.lag", lag, AtomicLong::get)
                .description("Records on the assigned partitions not yet polled").register(registry);
        Gauge.builder(PREFIX + "retention.oldest.day", oldestRetainedDay, AtomicLong::get).baseUnit("seconds")
                .description("Start (epoch seconds, UTC) of the oldest day partition kept: the proof of retention; "
                        + "-1 until retention first ran").register(registry);
    }

    void countReceived(Kind kind) {
        received.get(kind).increment();
    }

    void written(Kind kind, long rows) {
        written.get(kind).increment(rows);
    }

    void duplicates(Kind kind, long rows) {
        duplicates.get(kind).increment(rows);
    }

    void countDeadLetter(IndexFailure failure) {
        dlq.get(failure).increment();
    }

    void expired(long records) {
        expired.increment(records);
    }

    void returned(long records) {
        returned.increment(records);
    }

    void batch(long nanos) {
        batches.increment();
        batchLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retry(RetryCause cause) {
        retries.get(cause).increment();
    }

    void lag(long records) {
        lag.set(records);
    }

    void retention(PartitionRetention.Result r) {
        partitionsCreated.increment(r.created().size());
        partitionsDropped.increment(r.dropped().size());
        rowsDropped.increment(r.dropped().stream().mapToLong(PartitionRetention.Dropped::rows).sum());
        oldestRetainedDay.set(r.oldestRetainedDay().map(IndexMetrics::epochSeconds).orElse(-1L));
    }

    void partitionsCreated(int n) {
        partitionsCreated.increment(n);
    }

    void retentionFailed() {
        retentionFailures.increment();
    }

    private static long epochSeconds(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    public long received() {
        return (long) received.values().stream().mapToDouble(Counter::count).sum();
    }

    public long received(Kind kind) {
        return (long) received.get(kind).count();
    }

    public long written(Kind kind) {
        return (long) written.get(kind).count();
    }

    public long duplicates(Kind kind) {
        return (long) duplicates.get(kind).count();
    }

    public long deadLettered() {
        return (long) dlq.values().stream().mapToDouble(Counter::count).sum();
    }

    public long deadLettered(IndexFailure failure) {
        return (long) dlq.get(failure).count();
    }

    public long expired() {
        return (long) expired.count();
    }

    public long returned() {
        return (long) returned.count();
    }

    public long batches() {
        return (long) batches.count();
    }

    public long retries(RetryCause cause) {
        return (long) retries.get(cause).count();
    }

    public long lag() {
        return lag.get();
    }

    /** Every received record has exactly one outcome (true whenever the stage holds no batch). */
    public long outcomes() {
        long sum = deadLettered() + expired() + returned();
        for (Kind k : Kind.values()) {
            sum += written(k) + duplicates(k);
        }
        return sum;
    }

    public Timer batchLatency() {
        return batchLatency;
    }
}
