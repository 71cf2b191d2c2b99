package io.auditrail.archive;

import io.auditrail.core.config.Settings;
import io.auditrail.core.stage.Backoff;
import io.auditrail.core.stage.Stage;
import io.auditrail.core.topic.RecordHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Reads {@code vault.audit.raw} and stores every line in S3 objects, then lists the objects in signed digests.
 *
 * <p>One thread runs the loop: poll, add to the partition's {@link ObjectBatcher}, store each sealed object (retrying
 * while S3 fails: Kafka keeps the lines meanwhile), and only then commit the offset after it; every
 * {@code archive.digest.interval.ms} and on shutdown, store a digest of the objects stored since the last one.
 *
 * <p>The bucket, not the consumer group, says where to resume ({@link BucketResume}): on start the stage reads the
 * latest digest and seeks every partition to just after the last offset it covers. Objects stored after that digest
 * (a crash between an upload and the digest or the commit) are not uploaded again: their lines, read again from
 * Kafka, are compared with them, and once an object matched it is listed in the next digest (one that does not match stops the stage).
 * So a restart never stores a line twice, and every stored object ends up in a digest. One archiver per bucket: the
 * digest chain has one writer.
 *
 * <p>Digests are sealed, stored and recorded as the chain head outside the bucket by {@link DigestSealer}; while the
 * recording fails (PostgreSQL down) the heads wait, in order, and are retried, and the stage is not ready. On start the
 * bucket's newest digest must be the recorded head or lead back to it through signed digests: a bucket whose chain
 * is shorter than the recorded head (digests deleted) or different from it stops the stage, so it never builds on a
 * truncated chain.
 */
public final class ArchiveStage implements Stage {
    /** Header replay puts on the lines it re-publishes ({@code partition/offset} of the original). */
    public static final String REPLAY_ORIGIN_HEADER = RecordHeaders.REPLAY_ORIGIN;

    static final String STAGE = "archive";

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveStage.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration LAG_EVERY = Duration.ofSeconds(5);

    private final ArchiveConfig config;
    private final ArchiveStore store;
    private final ChainHeadStore heads;
    private final BucketResume bucket;
    private final DigestSealer sealer;
    private final ArchiveMetrics metrics;
    private final Clock clock;
    private final PrivateKey signingKey;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<Integer, ObjectBatcher> batchers = new HashMap<>();
    private final java.util.Set<Integer> blocked = new java.util.HashSet<>();
    /** Objects stored by an earlier run after its last digest, by partition, oldest first, until Kafka confirms them. */
    private final Map<Integer, ArrayDeque<DigestEntry>> adopted = new HashMap<>();
    private final Map<Integer, MessageDigest> checks = new HashMap<>();
    /** Per partition, the offset after the last stored object: what the lag is measured from. */
    private final Map<Integer, Long> archivedNext = new HashMap<>();
    private Instant nextLag = Instant.MIN;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicBoolean s3Healthy = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private ArchiveStage(ArchiveConfig config, ArchiveStore store, ChainHeadStore heads, MeterRegistry registry,
                         Clock clock) {
        this.config = config;
        this.store = store;
        this.heads = heads;
        this.metrics = new ArchiveMetrics(registry);
        this.clock = clock;
        this.signingKey = config.signingKey();
        this.topic = config.topics().raw();
        this.consumer = new KafkaConsumer<>(config.consumerProperties());
        this.thread = new Thread(this::run, "auditrail-archive");
        this.bucket = new BucketResume(config, store, heads, signingKey, topic);
        this.sealer = new DigestSealer(store, heads, signingKey, metrics, clock, s3Healthy, retryBackoff(),
                retryBackoff());
    }

    /** Every retry of the stage (S3, PostgreSQL, resuming): 200 ms doubling up to archive.retry.backoff.max.ms. */
    private Backoff retryBackoff() {
        return new Backoff(FIRST_BACKOFF, config.retryBackoffMax());
    }

    public static ArchiveStage start(Settings settings, MeterRegistry registry) {
        return start(new ArchiveConfig(settings), registry, Clock.systemUTC());
    }

    static ArchiveStage start(ArchiveConfig config, MeterRegistry registry, Clock clock) {
        config.signingKey(); // a missing or bad key stops start-up, before anything connects
        ArchiveStore store = ArchiveStore.open(config, clock);
        ArchiveStage stage;
        try {
            stage = new ArchiveStage(config, store, ChainHeadStore.open(config), registry, clock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        stage.thread.start();
        return stage;
    }

    @Override
    public String name() {
        return STAGE;
    }

    /**
     * Null once resumed from the bucket, while the one loop thread runs, S3 accepts writes and the chain head is
     * recorded (readiness does what the stage does); otherwise why not, the loop's own failure first (e.g. an object
     * in the bucket with other content than ours: the stage stopped and says so until restarted).
     */
    @Override
    public String notReadyReason() {
        Throwable stopped = failure.get();
        if (stopped != null) {
            return "stopped: " + stopped.getMessage();
        }
        if (!thread.isAlive()) {
            return "the archive loop thread is not running";
        }
        if (!ready.get()) {
            return "resuming from the bucket and the chain head";
        }
        if (!s3Healthy.get()) {
            return "S3 is not accepting writes";
        }
        return sealer.headRecorded() ? null : "the chain head cannot be recorded in PostgreSQL";
    }

    /** Why the loop stopped on its own, if it did (e.g. an object in the bucket with other content than ours). */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    public ArchiveMetrics metrics() {
        return metrics;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> positions = resume();
            if (positions == null) {
                return;
            }
            consumer.assign(positions.keySet());
            positions.forEach((tp, next) -> {
                if (next < 0) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, next);
                }
            });
            positions.forEach((tp, next) -> {
                if (next >= 0) {
                    archivedNext.put(tp.partition(), next);
                }
            });
            ready.set(true);
            LOG.info("archive: {} partitions of {} into bucket {}, resuming at {}", positions.size(), topic,
                    store.bucket(), positions);
            Instant nextDigest = clock.instant().plus(config.digestInterval());
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = poll();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                }
                Instant now = clock.instant();
                for (ObjectBatcher b : batchers.values()) {
                    b.flushIfOlderThan(now).ifPresent(o -> storeOrBlock(b, o, null));
                }
                updateBuffered();
                if (!now.isBefore(nextDigest) && sealer.storeDigest()) {
                    nextDigest = now.plus(config.digestInterval());
                }
                sealer.recordHeads();
                lagIfDue();
            }
            if (!aborted.get()) {
                shutdown();
            }
        } catch (WakeupException e) {
            if (!aborted.get()) {
                shutdown();
            }
        } catch (RuntimeException | Error e) {
            failure.set(e);
            LOG.error("archive stopped: {}", e.toString(), e);
        } finally {
            ready.set(false);
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private ConsumerRecords<byte[], byte[]> poll() {
        try {
            return consumer.poll(POLL);
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
            return ConsumerRecords.empty();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        metrics.consumed(1);
        if (r.headers().lastHeader(REPLAY_ORIGIN_HEADER) != null) {
            // replay re-publishes lines whose originals are archived; archiving them again would duplicate them
            metrics.skipped(ArchiveMetrics.SkipReason.REPLAYED, 1);
            return;
        }
        if (blocked.contains(r.partition())) {
            return; // an object before this line was not stored: it is read again on the next start
        }
        byte[] line = r.value() == null ? new byte[0] : r.value();
        if (alreadyStored(r.partition(), r.offset(), line)) {
            return;
        }
        ObjectBatcher b = batchers.computeIfAbsent(r.partition(),
                p -> new ObjectBatcher(p, config.objectMaxBytes(), config.objectMaxAge()));
        for (ArchiveObject o : b.add(r.offset(), Instant.ofEpochMilli(r.timestamp()), line, clock.instant())) {
            if (!storeOrBlock(b, o, null)) {
                return;
            }
        }
    }

    /**
     * Whether the line belongs to an object a previous run stored after the last digest. Those lines are compared
     * with the object instead of archived again; once the whole object matched, it is listed for the next digest.
     */
    private boolean alreadyStored(int partition, long offset, byte[] line) {
        ArrayDeque<DigestEntry> queue = adopted.get(partition);
        while (queue != null && !queue.isEmpty() && offset > queue.peek().lastOffset()) {
            // Kafka no longer has (all of) its lines: keep it, unchecked
            DigestEntry passed = queue.poll();
            checks.remove(partition);
            LOG.warn("archive: {} could not be compared with Kafka (its offsets are gone); listing it unchecked",
                    passed.key());
            adopt(passed);
        }
        if (queue == null || queue.isEmpty() || offset < queue.peek().firstOffset()) {
            return false;
        }
        DigestEntry entry = queue.peek();
        ObjectBatcher open = batchers.get(partition);
        if (open != null && !open.isEmpty()) {
            // the open object ends just before the stored one, so the two never overlap
            open.flush().ifPresent(o -> storeOrBlock(open, o, null));
        }
        MessageDigest check = checks.computeIfAbsent(partition, p -> Hashes.sha256());
        check.update(line);
        check.update((byte) '\n');
        metrics.skipped(ArchiveMetrics.SkipReason.ALREADY_ARCHIVED, 1);
        if (offset == entry.lastOffset()) {
            queue.poll();
            checks.remove(partition);
            String fromKafka = Hashes.hex(check.digest());
            if (!fromKafka.equals(entry.contentSha256())) {
                throw new IllegalStateException("object " + entry.key() + " in the bucket holds other lines than Kafka"
                        + " (content SHA-256 " + entry.contentSha256() + ", Kafka's " + fromKafka + "); not written by"
                        + " this archiver? Move it aside after checking it, then restart");
            }
            adopt(entry);
        }
        return true;
    }

    private void adopt(DigestEntry entry) {
        sealer.list(entry);
        metrics.recovered();
        ObjectKey key = ObjectKey.parse(entry.key()).orElseThrow();
        commit(key);
    }

    /**
     * Stores an object; when that is given up (stopping while S3 fails), nothing after it in the partition may be
     * stored, or the lines of the lost object would be skipped on the next start.
     */
    private boolean storeOrBlock(ObjectBatcher b, ArchiveObject o, Instant deadline) {
        if (blocked.contains(b.partition())) {
            return false;
        }
        if (storeObject(o, deadline)) {
            return true;
        }
        blocked.add(b.partition());
        b.discard();
        LOG.warn("archive: stopped before {} was stored; partition {} resumes there on the next start", o.key(),
                b.partition());
        return false;
    }

    /**
     * Stores one object, retrying while S3 fails, then commits the offset after it.
     *
     * @param deadline null while running (retry until stopped); on shutdown, when to give up
     * @return false when it gave up: the lines stay uncommitted and are read again on the next start
     */
    private boolean storeObject(ArchiveObject o, Instant deadline) {
        Backoff backoff = retryBackoff();
        while (true) {
            Duration wait;
            try {
                ArchiveStore.PutOutcome outcome = store.putObject(o.key().key(), o.body());
                if (outcome == ArchiveStore.PutOutcome.ALREADY_EXISTS) {
                    confirmSame(o);
                    metrics.alreadyStored();
                }
                s3Healthy.set(true);
                metrics.archived(o);
                sealer.list(o.entry());
                commit(o.key());
                return true;
            } catch (SdkException e) {
                metrics.failed(ArchiveMetrics.FailureReason.of(e));
                s3Healthy.set(false);
                wait = backoff.failed();
                LOG.warn("archive: storing {} failed, retrying in {} ms: {}: {}", o.key(), wait.toMillis(),
                        e.getClass().getSimpleName(), e.getMessage());
            }
            if (!running.get() && (deadline == null || clock.instant().isAfter(deadline))) {
                return false;
            }
            if (deadline == null) {
                lagIfDue(); // the lag grows while S3 fails: that is when it matters
            }
            if (!sleep(wait, deadline)) {
                return false;
            }
        }
    }

    private void lagIfDue() {
        Instant now = clock.instant();
        if (!now.isBefore(nextLag)) {
            updateLag();
            nextLag = now.plus(LAG_EVERY);
        }
    }

    private void confirmSame(ArchiveObject o) {
        byte[] stored = store.get(o.key().key(), config.maxStoredBytes(o.key())).orElseThrow(() ->
                new IllegalStateException(o.key() + " exists and then does not"));
        String storedContent = ObjectContent.contentSha256(stored, config.maxContentBytes(o.key()));
        if (!storedContent.equals(o.entry().contentSha256())) {
            throw new IllegalStateException("object " + o.key() + " is stored with other lines than Kafka holds "
                    + "(content SHA-256 " + storedContent + ", expected " + o.entry().contentSha256()
                    + "); is another archiver writing to this bucket?");
        }
    }

    private void commit(ObjectKey key) {
        archivedNext.merge(key.partition(), key.lastOffset() + 1, Math::max);
        Map<TopicPartition, OffsetAndMetadata> offset = Map.of(new TopicPartition(topic, key.partition()),
                new OffsetAndMetadata(key.lastOffset() + 1));
        try {
            try {
                consumer.commitSync(offset);
            } catch (WakeupException e) {
                consumer.commitSync(offset); // close() woke the consumer up; the exception consumed that, so again
            }
        } catch (RuntimeException e) {
            // the bucket is where a restart resumes from; the committed offset only feeds lag tools
            LOG.warn("archive: committing offset {} of partition {} failed: {}", key.lastOffset() + 1, key.partition(),
                    e.toString());
        }
    }

    private void shutdown() {
        Instant deadline = clock.instant().plus(config.shutdownTimeout());
        try {
            // takes a wakeup from close() that came outside poll, so the commits below are not interrupted by it;
            // records this returns are not archived or committed, and are read again on the next start
            consumer.poll(Duration.ZERO);
        } catch (WakeupException expected) {
            // consumed
        }
        for (ObjectBatcher b : batchers.values()) {
            if (!blocked.contains(b.partition())) {
                b.flush().ifPresent(o -> storeOrBlock(b, o, deadline));
            }
        }
        updateBuffered();
        while (!sealer.storeDigest()) {
            if (clock.instant().isAfter(deadline) || !sleep(Duration.ofMillis(200), deadline)) {
                LOG.warn("archive: shutdown without the last digest; the next start lists its objects");
                return;
            }
        }
        sealer.retryHeadsNow();
        while (!sealer.recordHeads()) {
            if (clock.instant().isAfter(deadline) || !sleep(Duration.ofMillis(200), deadline)) {
                LOG.warn("archive: shutdown with {} digests not recorded as the chain head; the next start records "
                        + "them", sealer.unrecordedHeads());
                return;
            }
        }
    }

    /**
     * Reads the chain head and the objects stored after it, retrying while S3 fails.
     *
     * @return the next offset of every partition of the raw topic (-1: from the beginning), or null when stopped
     */
    private Map<TopicPartition, Long> resume() {
        Backoff backoff = retryBackoff();
        while (running.get()) {
            Duration wait;
            try {
                Collection<Integer> partitions = partitions();
                if (partitions.isEmpty()) {
                    throw new NotResumableYet("topic " + topic + " has no partitions yet");
                }
                return resumeFrom(partitions);
            } catch (SdkException | NotResumableYet | ChainHeadStore.Unavailable
                     | org.apache.kafka.common.KafkaException e) {
                // a service that is not there yet; anything else (a conflict, an object that vanished) stops the stage
                if (e instanceof WakeupException) {
                    return null;
                }
                if (e instanceof SdkException sdk) {
                    metrics.failed(ArchiveMetrics.FailureReason.of(sdk));
                    s3Healthy.set(false);
                }
                wait = backoff.failed();
                LOG.warn("archive: cannot resume yet, retrying in {} ms: {}", wait.toMillis(), e.toString());
            }
            if (!sleep(wait, null)) {
                return null;
            }
        }
        return null;
    }

    /** Resuming must wait for something that will come (the topic's partitions, PostgreSQL): retried, not fatal. */
    static final class NotResumableYet extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotResumableYet(String message) {
            super(message);
        }
    }

    private Collection<Integer> partitions() {
        List<Integer> out = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos != null) {
            infos.forEach(i -> out.add(i.partition()));
        }
        return out;
    }

    /** Continues from what the bucket holds; the heads a previous run did not record are recorded first. */
    private Map<TopicPartition, Long> resumeFrom(Collection<Integer> partitions) {
        BucketResume.Resumed resumed = bucket.from(partitions);
        sealer.resumeAt(resumed.chain(), resumed.headsToRecord());
        if (!sealer.recordHeads()) {
            throw new NotResumableYet("the chain head cannot be recorded yet");
        }
        adopted.clear();
        adopted.putAll(resumed.storedAfterDigest());
        checks.clear();
        return resumed.positions();
    }

    private void updateBuffered() {
        metrics.buffered(batchers.values().stream().mapToLong(ObjectBatcher::bufferedLines).sum());
    }

    /** Lag: records in Kafka after the last stored object of each partition (open objects count as lag). */
    private void updateLag() {
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(2));
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                Long next = archivedNext.get(e.getKey().partition());
                if (next == null) {
                    next = consumer.beginningOffsets(List.of(e.getKey()), Duration.ofSeconds(2)).get(e.getKey());
                }
                lag += Math.max(0, e.getValue() - next);
            }
            metrics.lag(lag);
        } catch (RuntimeException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            LOG.debug("archive: lag not measured: {}", e.toString());
        }
    }

    /** Sleeps unless stopped (while running) or past the deadline (on shutdown); false when it should give up. */
    private boolean sleep(Duration d, Instant deadline) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            if (deadline == null && !running.get()) {
                return false;
            }
            if (deadline != null && clock.instant().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Stops at once, storing neither the open objects nor a digest, as a killed process would: for crash tests. The
     * bucket and Kafka are left as a crash leaves them; an object being uploaded may or may not be stored.
     */
    void abort() {
        aborted.set(true);
        close();
    }

    /** Stores the open objects and a last digest (within archive.shutdown.timeout.ms), then stops. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(config.shutdownTimeout().plusSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
