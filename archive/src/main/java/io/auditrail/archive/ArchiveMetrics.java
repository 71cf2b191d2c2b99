package io.auditrail.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every outcome of the archive stage (Prometheus names {@code auditrail_archive_*}); tags hold only bounded values.
 * When the stage is idle: {@code lines.consumed = lines.archived + lines.skipped + lines.buffered}.
 */
public final class ArchiveMetrics {
    private static final String PREFIX = "auditrail.archive.";

    /** Why a write to S3 failed (it is retried; a failure is never a loss, Kafka keeps the lines). */
    public enum FailureReason {
        UNAVAILABLE, THROTTLED, REJECTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a consumed line is not archived again. */
    public enum SkipReason {
        /** Re-published by replay: its original is archived already. */
        REPLAYED,
        /** Already in an object found in the bucket on start. */
        ALREADY_ARCHIVED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Counter linesConsumed;
    private final Counter linesArchived;
    private final Counter bytesArchived;
    private final Counter objectsWritten;
    private final Counter objectsAlreadyStored;
    private final Counter objectsRecovered;
    private final Counter digestsWritten;
    private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong lastDigestEpochSecond = new AtomicLong();
    private final Counter chainHeadFailures;
    private final AtomicLong chainHeadPending = new AtomicLong();

    public ArchiveMetrics(MeterRegistry registry) {
        linesConsumed = Counter.builder(PREFIX + "lines.consumed").description("Raw records read from Kafka")
                .register(registry);
        linesArchived = Counter.builder(PREFIX + "lines.archived").description("Lines in objects stored in S3")
                .register(registry);
        bytesArchived = Counter.builder(PREFIX + "bytes.archived").baseUnit("bytes")
                .description("Compressed bytes of objects stored in S3").register(registry);
        objectsWritten = Counter.builder(PREFIX + "objects.written").register(registry);
        objectsAlreadyStored = Counter.builder(PREFIX + "objects.already.stored")
                .description("Uploads that found the identical object stored already (a retry after a lost answer)")
                .register(registry);
        objectsRecovered = Counter.builder(PREFIX + "objects.recovered")
                .description("Objects an earlier run stored after its last digest, confirmed against Kafka and listed "
                        + "in the next digest")
                .register(registry);
        digestsWritten = Counter.builder(PREFIX + "digests.written").register(registry);
        for (FailureReason r : FailureReason.values()) {
            failures.put(r, Counter.builder(PREFIX + "s3.failures").tag("reason", r.tag())
                    .description("S3 writes that failed and were retried").register(registry));
        }
        for (SkipReason r : SkipReason.values()) {
            skipped.put(r, Counter.builder(PREFIX + "lines.skipped").tag("reason", r.tag()).register(registry));
        }
        Gauge.builder(PREFIX + "lag.records", lag, AtomicLong::get)
                .description("Raw records in Kafka after the last stored object of each partition (open objects "
                        + "included); measured every 5 s, also while S3 fails")
                .register(registry);
        Gauge.builder(PREFIX + "lines.buffered", buffered, AtomicLong::get)
                .description("Lines held in open objects").register(registry);
        Gauge.builder(PREFIX + "last.digest.time", lastDigestEpochSecond, AtomicLong::get).baseUnit("seconds")
                .description("When the last digest was stored (epoch seconds)").register(registry);
        chainHeadFailures = Counter.builder(PREFIX + "chain.head.failures")
                .description("Attempts to record a stored digest as the chain head in PostgreSQL that failed (retried)")
                .register(registry);
        Gauge.builder(PREFIX + "chain.head.pending", chainHeadPending, AtomicLong::get)
                .description("Digests stored in the bucket and not yet recorded as the chain head").register(registry);
    }

    void chainHeadFailed() {
        chainHeadFailures.increment();
    }

    void chainHeadPending(long digests) {
        chainHeadPending.set(digests);
    }

    public long chainHeadFailures() {
        return (long) chainHeadFailures.count();
    }

    void consumed(int n) {
        linesConsumed.increment(n);
    }

    void archived(ArchiveObject o) {
        linesArchived.increment(o.lines());
        bytesArchived.increment(o.body().length);
        objectsWritten.increment();
    }

    void alreadyStored() {
        objectsAlreadyStored.increment();
    }

    void recovered() {
        objectsRecovered.increment();
    }

    void digestWritten(long epochSecond) {
        digestsWritten.increment();
        lastDigestEpochSecond.set(epochSecond);
    }

    void failed(FailureReason reason) {
        failures.get(reason).increment();
    }

    void skipped(SkipReason reason, int n) {
        skipped.get(reason).increment(n);
    }

    void lag(long records) {
        lag.set(records);
    }

    void buffered(long lines) {
        buffered.set(lines);
    }

    public long linesConsumed() {
        return (long) linesConsumed.count();
    }

    public long linesArchived() {
        return (long) linesArchived.count();
    }

    public long linesSkipped() {
        return skipped.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    public long linesBuffered() {
        return buffered.get();
    }

    public long objectsWritten() {
        return (long) objectsWritten.count();
    }

    public long objectsRecovered() {
        return (long) objectsRecovered.count();
    }

    public long digestsWritten() {
        return (long) digestsWritten.count();
    }

    public long failures() {
        return failures.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    public long lag() {
        return lag.get();
    }
}
