package io.auditrail.archive;

import io.auditrail.core.stage.StageRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every outcome of the archive stage (Prometheus names {@code auditrail_archive_*}); tags hold only bounded values.
 * Lines are the stage's records, in the kit's family {@code auditrail.archive.records{outcome, reason}}: received
 * (read from Kafka), sent (in an object stored in S3), skipped by {@link SkipReason}. The archive has no dead-letter
 * outcome: every line is archived byte-exact, whatever it holds. When the stage is idle received = sent + skipped +
 * {@code lines.buffered} (lines in open objects, a gauge).
 */
public final class ArchiveMetrics {
    private static final String PREFIX = "auditrail.archive.";

    /** Why a write to S3 failed (it is retried; a failure is never a loss, Kafka keeps the lines). */
    public enum FailureReason {
        UNAVAILABLE, THROTTLED, REJECTED;

        /** 503 and 429 are throttling, other 5xx and no answer at all unavailability, the rest a refusal. */
        static FailureReason of(SdkException e) {
            if (e instanceof S3Exception s3) {
                int status = s3.statusCode();
                return status == 503 || status == 429 ? THROTTLED : status >= 500 ? UNAVAILABLE : REJECTED;
            }
            return e instanceof SdkClientException ? UNAVAILABLE : REJECTED;
        }

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

    private final StageRecords records;
    private final Counter bytesArchived;
    private final Counter objectsWritten;
    private final Counter objectsAlreadyStored;
    private final Counter objectsRecovered;
    private final Counter digestsWritten;
    private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong lastDigestEpochSecond = new AtomicLong();
    private final Counter chainHeadFailures;
    private final AtomicLong chainHeadPending = new AtomicLong();

    public ArchiveMetrics(MeterRegistry registry) {
        records = new StageRecords(registry, ArchiveStage.STAGE);
        records.declare(StageRecords.Outcome.RECEIVED, null);
        records.declare(StageRecords.Outcome.SENT, null);
        for (SkipReason r : SkipReason.values()) {
            records.declare(StageRecords.Outcome.SKIPPED, r.tag());
        }
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
        records.received(n);
    }

    void archived(ArchiveObject o) {
        records.sent(o.lines());
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
        records.skipped(reason.tag(), n);
    }

    /** The stage's lines by outcome: received = sent + skipped + {@link #linesBuffered()} when idle. */
    public StageRecords records() {
        return records;
    }

    void lag(long records) {
        lag.set(records);
    }

    void buffered(long lines) {
        buffered.set(lines);
    }

    public long linesConsumed() {
        return (long) records.total(StageRecords.Outcome.RECEIVED);
    }

    public long linesArchived() {
        return (long) records.total(StageRecords.Outcome.SENT);
    }

    public long linesSkipped() {
        return (long) records.total(StageRecords.Outcome.SKIPPED);
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
