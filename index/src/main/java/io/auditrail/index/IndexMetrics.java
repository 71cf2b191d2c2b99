package io.auditrail.index;

import io.auditrail.core.stage.StageRecords;
import io.auditrail.core.stage.StageRecords.Outcome;
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
 * bounded values (a topic kind, a table, a failure kind). Records are counted in the kit's family
 * {@code auditrail.index.records{outcome, reason}}: received, sent (rows written) and duplicate with the record's kind
 * as reason ({@code event}, {@code anomaly}), dlq by {@link IndexFailure}, skipped by {@code expired} (before the
 * retention period) or {@code returned} (given back unwritten on a rebalance; the new owner receives it again).
 * Outcomes are counted once the batch is durable (rows committed, dead letters acknowledged). When the stage is idle
 * received = sent + duplicate + dlq + skipped.
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

    static final String EXPIRED = "expired";
    static final String RETURNED = "returned";

    private final StageRecords records;
    private final Map<RetryCause, Counter> retries = new EnumMap<>(RetryCause.class);
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
        records = new StageRecords(registry, IndexStage.STAGE);
        // every series an alert or panel reads exists from the start (increase() misses a series born at 1)
        for (Kind k : Kind.values()) {
            records.declare(Outcome.RECEIVED, k.tag());
            records.declare(Outcome.SENT, k.tag());
            records.declare(Outcome.DUPLICATE, k.tag());
        }
        for (IndexFailure f : IndexFailure.values()) {
            records.declare(Outcome.DLQ, f.tag());
        }
        records.declare(Outcome.SKIPPED, EXPIRED);
        records.declare(Outcome.SKIPPED, RETURNED);
        for (RetryCause c : RetryCause.values()) {
            retries.put(c, Counter.builder(PREFIX + "retries").tag("cause", c.name().toLowerCase(Locale.ROOT))
                    .description("Batch attempts that failed on an unreachable service and were retried")
                    .register(registry));
        }
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
        records.count(Outcome.RECEIVED, kind.tag(), 1);
    }

    void written(Kind kind, long rows) {
        records.count(Outcome.SENT, kind.tag(), rows);
    }

    void duplicates(Kind kind, long rows) {
        records.count(Outcome.DUPLICATE, kind.tag(), rows);
    }

    void countDeadLetter(IndexFailure failure) {
        records.dlq(failure.tag(), 1);
    }

    void expired(long n) {
        records.skipped(EXPIRED, n);
    }

    void returned(long n) {
        records.skipped(RETURNED, n);
    }

    /** The stage's records by outcome: received = sent + duplicate + dlq + skipped when no batch is held. */
    public StageRecords records() {
        return records;
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
        return (long) records.total(Outcome.RECEIVED);
    }

    public long received(Kind kind) {
        return (long) records.total(Outcome.RECEIVED, kind.tag());
    }

    public long written(Kind kind) {
        return (long) records.total(Outcome.SENT, kind.tag());
    }

    public long duplicates(Kind kind) {
        return (long) records.total(Outcome.DUPLICATE, kind.tag());
    }

    public long deadLettered() {
        return (long) records.total(Outcome.DLQ);
    }

    public long deadLettered(IndexFailure failure) {
        return (long) records.total(Outcome.DLQ, failure.tag());
    }

    public long expired() {
        return (long) records.total(Outcome.SKIPPED, EXPIRED);
    }

    public long returned() {
        return (long) records.total(Outcome.SKIPPED, RETURNED);
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
        long sum = 0;
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.RECEIVED) {
                sum += (long) records.total(o);
            }
        }
        return sum;
    }

    public Timer batchLatency() {
        return batchLatency;
    }
}
