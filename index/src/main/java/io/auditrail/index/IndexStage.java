package io.auditrail.index;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.config.Settings;
import io.auditrail.core.stage.Backoff;
import io.auditrail.core.stage.DeadLetter;
import io.auditrail.core.stage.Stage;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.core.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index stage: {@code vault.audit.events} and {@code vault.audit.anomalies} into PostgreSQL. One loop thread
 * polls, decodes and batches; a batch is written (events by COPY + insert-on-conflict-do-nothing, anomalies by
 * upsert on revision), its dead letters acknowledged, and only then are its offsets committed. A crash anywhere
 * before the commit re-delivers the batch, which the idempotent writes absorb: no gap, no duplicate.
 *
 * <p>While PostgreSQL (or Kafka) is unreachable the batch is kept, the partitions are paused (the consumer stays in
 * its group) and the write is retried with a doubling back-off: nothing is skipped. Retention runs on its own
 * thread on a schedule.
 */
public final class IndexStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(IndexStage.class);
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
    private static final Duration WARN_EVERY = Duration.ofSeconds(30);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(10);
    static final String STAGE = "index";

    private final IndexConfig config;
    private final IndexMetrics metrics;
    private final Clock clock;
    private final RetentionPolicy policy;
    private final HikariDataSource pool;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> dlqProducer;
    private final EventRowWriter events;
    private final AnomalyRowWriter anomalies;
    private final PartitionRetention retention;
    private final Topics topics;
    private final ScheduledExecutorService retentionTimer;
    private final Thread loop;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final IndexBatch batch = new IndexBatch();

    // loop-thread state
    private DatabaseOutcome databaseDone;
    private boolean paused;
    private final Backoff backoff;
    private long nextAttemptNanos;
    private long lastWarnNanos;

    // readable from any thread
    private volatile String notReady = "starting";
    /** Test seam: runs after the database commit of a batch and before its offsets are committed. */
    volatile Runnable afterDatabaseCommit = () -> { };

    private IndexStage(IndexConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.metrics = new IndexMetrics(registry);
        this.backoff = new Backoff(INITIAL_BACKOFF, config.retryBackoffMax());
        this.policy = config.retentionPolicy();
        this.topics = config.topics();
        this.pool = config.postgres().pool("auditrail-index");
        this.events = new EventRowWriter(pool, config.writerConnections());
        this.anomalies = new AnomalyRowWriter(pool);
        this.retention = new PartitionRetention(pool, policy, clock);
        KafkaConsumer<byte[], byte[]> c = null;
        KafkaProducer<byte[], byte[]> p = null;
        try {
            c = new KafkaConsumer<>(config.consumerProperties());
            p = new KafkaProducer<>(config.dlqProducerProperties());
        } catch (RuntimeException e) {
            if (c != null) {
                c.close(CloseOptions.timeout(Duration.ZERO));
            }
            pool.close();
            throw e;
        }
        this.consumer = c;
        this.dlqProducer = p;
        this.retentionTimer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "index-retention"));
        this.loop = new Thread(this::run, "index-loop");
    }

    /** Starts the stage; it connects in the background (readiness tells when it writes). */
    public static IndexStage start(Settings settings, MeterRegistry registry) {
        return start(new IndexConfig(settings), registry, Clock.systemUTC());
    }

    static IndexStage start(IndexConfig config, MeterRegistry registry, Clock clock) {
        IndexStage stage = new IndexStage(config, registry, clock);
        stage.loop.start();
        return stage;
    }

    @Override
    public String name() {
        return STAGE;
    }

    /**
     * Null when ready, else why not: the loop thread (polls and writes) died, or the last write or connection check
     * failed (the cause, never the server's message). The retention timer's failures are counted and retried, so
     * they do not make the stage unready.
     */
    @Override
    public String notReadyReason() {
        if (!running.get()) {
            return "stopped";
        }
        if (!loop.isAlive()) {
            return "the index loop thread stopped; see the log";
        }
        return notReady;
    }

    public IndexMetrics metrics() {
        return metrics;
    }

    private void run() {
        boolean clean = false;
        try {
            if (!awaitSchema() || !awaitTopics()) {
                return;
            }
            consumer.subscribe(List.of(topics.events(), topics.anomalies()), new Rebalance());
            long every = config.retentionInterval().toMillis();
            if (every > 0) {
                retentionTimer.scheduleWithFixedDelay(this::runRetention, 0, every, TimeUnit.MILLISECONDS);
            }
            notReady = null;
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    batch.add(decode(r), now);
                }
                updateLag();
                if (batch.isEmpty()) {
                    continue;
                }
                boolean due = batch.isFull(config.batchMaxRecords(), config.batchMaxBytes())
                        || batch.ageNanos(now) >= config.batchMaxDelay().toNanos();
                if (!due || now - nextAttemptNanos < 0) {
                    continue;
                }
                pause();
                if (flush()) {
                    resume();
                }
            }
            if (!batch.isEmpty() && System.nanoTime() - nextAttemptNanos >= 0) {
                flush(); // one last try on shutdown; what is left is read again on the next start
            }
            clean = true;
        } catch (WakeupException e) {
            // close() woke a poll or a commit: nothing committed after the last durable write, so nothing is lost
            clean = true;
        } catch (RuntimeException e) {
            LOG.error("index loop stopped on an unexpected error; uncommitted records are read again on restart", e);
        } finally {
            if (!clean) {
                // after a failure nothing more is attempted: closing must not commit what the failure interrupted
                batch.clear();
                databaseDone = null;
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private Duration pollTimeout() {
        long now = System.nanoTime();
        long wait = 200;
        if (!batch.isEmpty()) {
            long untilDue = paused ? (nextAttemptNanos - now) / 1_000_000
                    : config.batchMaxDelay().toMillis() - batch.ageNanos(now) / 1_000_000;
            wait = Math.min(wait, untilDue);
        }
        return Duration.ofMillis(Math.max(1, wait));
    }

    private IndexBatch.Entry decode(ConsumerRecord<byte[], byte[]> r) {
        if (r.topic().equals(topics.anomalies())) {
            metrics.countReceived(IndexMetrics.Kind.ANOMALY);
            try {
                return new IndexBatch.Anomaly(r, AnomalyRow.fromJson(r.value()));
            } catch (RowRejected e) {
                return new IndexBatch.DeadLetter(r, e.failure(), e.getMessage());
            }
        }
        metrics.countReceived(IndexMetrics.Kind.EVENT);
        try {
            EventRow row = EventRow.fromJson(r.value());
            LocalDate today = EventPartition.dayOf(clock.instant());
            LocalDate day = row.partition().day();
            if (policy.isExpired(day, today)) {
                return new IndexBatch.Expired(r);
            }
            if (policy.isTooFarAhead(day, today)) {
                return new IndexBatch.DeadLetter(r, IndexFailure.TIME_OUT_OF_RANGE, "event dated " + day
                        + ", after the newest partition day " + policy.newestAccepted(today));
            }
            return new IndexBatch.Event(r, row);
        } catch (RowRejected e) {
            return new IndexBatch.DeadLetter(r, e.failure(), e.getMessage());
        }
    }

    /** What the database part of a flush did; kept so a retry of the Kafka part does not write again. */
    private record DatabaseOutcome(EventRowWriter.Result events, AnomalyRowWriter.Result anomalies,
                                   List<IndexBatch.Event> eventEntries, List<IndexBatch.Anomaly> anomalyEntries,
                                   long supersededAnomalies) {
    }

    /**
     * Makes the batch durable: rows committed, dead letters acknowledged, then offsets committed. Returns false when
     * a service was unreachable (the batch is kept and retried after the back-off).
     */
    private boolean flush() {
        long start = System.nanoTime();
        try {
            if (databaseDone == null) {
                databaseDone = writeDatabase();
                afterDatabaseCommit.run();
            }
            DatabaseOutcome db = databaseDone;
            List<IndexBatch.DeadLetter> dead = new ArrayList<>();
            long expired = 0;
            for (IndexBatch.Entry e : batch.entries()) {
                if (e instanceof IndexBatch.DeadLetter d) {
                    dead.add(d);
                } else if (e instanceof IndexBatch.Expired) {
                    expired++;
                }
            }
            for (SqlErrors.Rejection r : db.events().rejected()) {
                dead.add(new IndexBatch.DeadLetter(db.eventEntries().get(r.index()).record(),
                        IndexFailure.REJECTED_BY_DATABASE, r.reason()));
            }
            for (SqlErrors.Rejection r : db.anomalies().rejected()) {
                dead.add(new IndexBatch.DeadLetter(db.anomalyEntries().get(r.index()).record(),
                        IndexFailure.REJECTED_BY_DATABASE, r.reason()));
            }
            sendDeadLetters(dead);
            try {
                consumer.commitSync(batch.offsets());
            } catch (CommitFailedException | RebalanceInProgressException e) {
                // the partitions moved on: everything here is durable, the new owner re-reads it as duplicates
                LOG.warn("offset commit refused ({}); the batch is durable and will be re-read as duplicates",
                        e.toString());
            }
            metrics.written(IndexMetrics.Kind.EVENT, db.events().inserted());
            metrics.duplicates(IndexMetrics.Kind.EVENT, db.events().duplicates());
            metrics.expired(expired + db.events().expired().size());
            metrics.written(IndexMetrics.Kind.ANOMALY, db.anomalies().upserted());
            metrics.duplicates(IndexMetrics.Kind.ANOMALY, db.anomalies().stale() + db.supersededAnomalies());
            dead.forEach(d -> metrics.countDeadLetter(d.failure()));
            metrics.partitionsCreated(db.events().created().size());
            metrics.batch(System.nanoTime() - start);
            batch.clear();
            databaseDone = null;
            backoff.succeeded();
            nextAttemptNanos = System.nanoTime();
            notReady = null;
            return true;
        } catch (SQLException e) {
            metrics.retry(IndexMetrics.RetryCause.DATABASE);
            failed("PostgreSQL: " + SqlErrors.brief(e));
            return false;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException | ExecutionException e) {
            metrics.retry(IndexMetrics.RetryCause.KAFKA);
            failed("Kafka: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return false;
        }
    }

    private DatabaseOutcome writeDatabase() throws SQLException {
        List<IndexBatch.Event> eventEntries = new ArrayList<>();
        List<IndexBatch.Anomaly> anomalyEntries = new ArrayList<>();
        for (IndexBatch.Entry e : batch.entries()) {
            if (e instanceof IndexBatch.Event ev) {
                eventEntries.add(ev);
            } else if (e instanceof IndexBatch.Anomaly an) {
                anomalyEntries.add(an);
            }
        }
        List<IndexBatch.Anomaly> latest = AnomalyRow.latestPerId(anomalyEntries, IndexBatch.Anomaly::row);
        EventRowWriter.Result ev = events.write(eventEntries.stream().map(IndexBatch.Event::row).toList());
        AnomalyRowWriter.Result an = anomalies.write(latest.stream().map(IndexBatch.Anomaly::row).toList());
        return new DatabaseOutcome(ev, an, eventEntries, latest, anomalyEntries.size() - latest.size());
    }

    private void sendDeadLetters(List<IndexBatch.DeadLetter> dead) throws ExecutionException, InterruptedException {
        if (dead.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(dead.size());
        for (IndexBatch.DeadLetter d : dead) {
            ConsumerRecord<byte[], byte[]> r = d.record();
            // a copy: the consumed record's headers stay as they were read
            Headers headers = DeadLetter.add(new RecordHeaders(r.headers().toArray()), d.failure().name(), d.reason(),
                    STAGE, DeadLetter.origin(r.topic(), r.partition(), r.offset()));
            sent.add(dlqProducer.send(new ProducerRecord<>(topics.dlq(), null, null, r.key(), r.value(), headers)));
        }
        dlqProducer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    private void failed(String why) {
        notReady = why;
        long now = System.nanoTime();
        Duration wait = backoff.failed();
        nextAttemptNanos = now + wait.toNanos();
        if (lastWarnNanos == 0 || now - lastWarnNanos > WARN_EVERY.toNanos()) {
            lastWarnNanos = now;
            LOG.warn("index: {}; {} records kept and retried in {} ms (nothing is skipped)", why, batch.size(),
                    wait.toMillis());
        }
    }

    private void pause() {
        if (!paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        }
    }

    private void resume() {
        if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private void updateLag() {
        long sum = 0;
        for (TopicPartition tp : consumer.assignment()) {
            sum += consumer.currentLag(tp).orElse(0);
        }
        metrics.lag(sum);
    }

    /**
     * Applies migrations as the schema's owner (or checks the schema exists), retrying while PostgreSQL is
     * unreachable.
     */
    private boolean awaitSchema() {
        while (running.get()) {
            try {
                if (config.migrateOnStart()) {
                    // as the schema's owner: the stage's own role may write rows, not change the schema
                    try (var owner = config.owner().pool("auditrail-index-migrate")) {
                        Migrations.migrate(owner);
                    }
                    return true;
                }
                try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT to_regclass('" + EventPartition.PARENT + "') IS NOT NULL")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                    failed("schema missing: run 'auditrail migrate' (or set " + IndexConfig.MIGRATE_ON_START + ")");
                }
            } catch (SQLException | RuntimeException e) {
                failed("PostgreSQL: cannot migrate or check the schema: " + SqlErrors.brief(e));
            }
            sleepUntilNextAttempt();
        }
        return false;
    }

    private boolean awaitTopics() {
        TopicBootstrap bootstrap = new TopicBootstrap(config.adminProperties());
        Set<String> mine = Set.of(topics.events(), topics.anomalies(), topics.dlq());
        List<TopicBootstrap.Spec> specs = TopicBootstrap.pipeline(topics, config.maxRecordBytes()).stream()
                .filter(s -> mine.contains(s.name())).toList();
        backoff.succeeded();
        while (running.get()) {
            try {
                bootstrap.ensure(specs, TOPIC_TIMEOUT);
                backoff.succeeded();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                failed("Kafka: cannot create or check the topics: " + e);
            }
            sleepUntilNextAttempt();
        }
        return false;
    }

    private void sleepUntilNextAttempt() {
        long wait = nextAttemptNanos - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }
    }

    private void runRetention() {
        try {
            metrics.retention(retention.run());
        } catch (SQLException | RuntimeException e) {
            metrics.retentionFailed();
            LOG.warn("retention failed ({}); retried in {}", SqlErrors.brief(e), config.retentionInterval());
        }
    }

    /** Keeps the batch consistent with what this consumer owns. Runs on the loop thread, inside poll(). */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!batch.hasAny(partitions)) {
                return;
            }
            // still the owner: try to make the batch durable now; if not, the next owner re-reads these records
            if (System.nanoTime() - nextAttemptNanos >= 0 && flush()) {
                resume();
                return;
            }
            giveBack(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            giveBack(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }

        private void giveBack(Collection<TopicPartition> partitions) {
            int removed = batch.removePartitions(partitions);
            if (removed > 0) {
                metrics.returned(removed);
                databaseDone = null; // its indexes no longer match the batch; a re-write only finds duplicates
            }
            if (batch.isEmpty()) {
                resume();
            }
        }
    }

    /** Stops polling, tries once more to make the current batch durable, and closes the clients and the pool. */
    @Override
    public void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        retentionTimer.shutdownNow();
        try {
            loop.join(config.postgres().connectTimeout().toMillis() + 15_000);
            if (loop.isAlive()) {
                consumer.wakeup();
                loop.join(10_000);
            }
            retentionTimer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dlqProducer.close(Duration.ofSeconds(5));
        events.close();
        pool.close();
        LOG.info("index stopped: {} records received, {} events and {} anomalies written, {} duplicates, {} to the "
                        + "DLQ, {} expired", metrics.received(), metrics.written(IndexMetrics.Kind.EVENT),
                metrics.written(IndexMetrics.Kind.ANOMALY), metrics.duplicates(IndexMetrics.Kind.EVENT)
                        + metrics.duplicates(IndexMetrics.Kind.ANOMALY), metrics.deadLettered(), metrics.expired());
    }
}
