package io.auditrail.alerts;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.config.Settings;
import io.auditrail.core.stage.Backoff;
import io.auditrail.core.stage.Stage;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.core.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts stage: {@code vault.audit.anomalies} to webhooks, Slack and PagerDuty. One loop thread polls, decodes,
 * routes, drops what is already recorded (dedupe by anomaly, revision and target), throttles per rule and actor, and
 * hands each delivery to its target's worker ({@link TargetWorker}, one thread and bounded queue per target). A record's
 * offset is committed only once every delivery it made has been recorded as delivered or given up on, and every record
 * before it too ({@link CommitTracker}); a crash re-reads the rest, which the dedupe absorbs.
 *
 * <p>Records with the {@link RecordHeaders#REPLAY_ORIGIN} header are skipped and counted: a replay from the archive
 * must not page anyone twice.
 */
public final class AlertsStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(AlertsStage.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(10);
    static final String STAGE = "alerts";

    private final AlertsConfig config;
    private final AlertTargets targets;
    private final AlertsMetrics metrics;
    private final Clock clock;
    private final HikariDataSource pool;
    private final AlertDeliveries deliveries;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, TargetWorker> workers = new LinkedHashMap<>();
    private final Throttle throttle;
    private final Backoff databaseBackoff;
    private final CommitTracker tracker = new CommitTracker();
    /** Deliveries queued and not finished, so a duplicate record in flight joins the first instead of sending again. */
    private final Map<DeliveryKey, CompletableFuture<DeliveryStatus>> inFlight = new ConcurrentHashMap<>();
    private final Topics topics;
    private final Thread loop;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private boolean paused;

    private volatile String notReady = "starting";
    private volatile String databaseProblem;

    private AlertsStage(AlertsConfig config, AlertTargets targets, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.targets = targets;
        this.clock = clock;
        this.metrics = new AlertsMetrics(registry);
        this.topics = config.topics();
        this.throttle = new Throttle(config.throttleWindow(), clock);
        this.databaseBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
        this.pool = config.pool();
        this.deliveries = new AlertDeliveries(pool);
        try {
            this.consumer = new KafkaConsumer<>(config.consumerProperties());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (Target t : targets.targets().values()) {
            Backoff backoff = new Backoff(config.retryBackoffInitial(), config.retryBackoffMax());
            workers.put(t.name(), new TargetWorker(t, http, config.httpTimeout(), backoff, config.retryBackoffMax(),
                    config.targetQueueMax(), this::recordFinished, metrics, clock));
        }
        this.loop = new Thread(this::run, "alerts-loop");
    }

    /**
     * Starts the stage; it connects in the background (readiness tells when it consumes). A targets file that cannot
     * be read or is invalid throws here, naming the problem, before anything starts.
     */
    public static AlertsStage start(Settings settings, MeterRegistry registry) {
        return start(new AlertsConfig(settings), registry, Clock.systemUTC(), System.getenv());
    }

    static AlertsStage start(AlertsConfig config, MeterRegistry registry, Clock clock, Map<String, String> env) {
        AlertTargets targets;
        try {
            targets = config.targetsFile() == null ? AlertTargets.NONE : AlertTargets.load(config.targetsFile(), env,
                    config.allowPlainHttp());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AlertsConfig.TARGETS_FILE,
                    String.valueOf(config.targetsFile()), e.getMessage());
        }
        if (targets.targets().isEmpty()) {
            LOG.warn("no alert targets configured ({} is {}): anomalies are consumed and counted as unrouted",
                    AlertsConfig.TARGETS_FILE, config.targetsFile() == null ? "empty" : config.targetsFile());
        } else {
            LOG.info("alert targets: {}; {} routes", targets.targets().values(), targets.routes().size());
        }
        AlertsStage stage = new AlertsStage(config, targets, registry, clock);
        stage.workers.values().forEach(TargetWorker::start);
        stage.loop.start();
        return stage;
    }

    @Override
    public String name() {
        return STAGE;
    }

    /**
     * Null when ready, else why not: the loop thread (polls and routes) or a target's delivery thread stopped, or
     * PostgreSQL or Kafka is failing. A target that refuses deliveries does not make the stage unready: its
     * deliveries are retried and counted ({@code deliveries{outcome}}), and the other targets go on.
     */
    @Override
    public String notReadyReason() {
        if (!running.get()) {
            return "stopped";
        }
        if (!loop.isAlive()) {
            return "the alerts loop thread stopped; see the log";
        }
        for (TargetWorker w : workers.values()) {
            if (!w.isRunning()) {
                return "the delivery thread of target " + w.target().name() + " stopped; see the log";
            }
        }
        String n = notReady;
        return n != null ? n : databaseProblem;
    }

    /** The workers by target name, for tests that stop one under a running stage. */
    TargetWorker worker(String target) {
        return workers.get(target);
    }

    public AlertsMetrics metrics() {
        return metrics;
    }

    /** For the reports module and the CLI: queries over what was delivered. */
    public AlertDeliveries deliveries() {
        return deliveries;
    }

    private void run() {
        try {
            if (!awaitSchema() || !awaitTopic()) {
                return;
            }
            consumer.subscribe(List.of(topics.anomalies()), new Rebalance());
            notReady = null;
            while (running.get()) {
                boolean full = tracker.size() >= config.maxPendingRecords();
                if (full && !paused) {
                    consumer.pause(consumer.assignment());
                    paused = true;
                } else if (!full && paused) {
                    consumer.resume(consumer.paused());
                    paused = false;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty() && !handle(records)) {
                    break; // stopping while the database was down: nothing of this poll is committed
                }
                commit();
                updateLag();
            }
            commit();
        } catch (WakeupException e) {
            // close(): what is committed is durable; the rest is read again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("alerts loop stopped on an unexpected error; uncommitted anomalies are read again on restart", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** A consumed record that has routes: its anomaly, targets and place. */
    private record Routed(ConsumerRecord<byte[], byte[]> record, Anomaly anomaly, List<Target> targets) {
    }

    /** Decides every record of one poll; returns false when the stage stopped before the decisions were durable. */
    private boolean handle(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        long consumedNanos = System.nanoTime();
        Instant now = clock.instant();
        List<Routed> routed = new ArrayList<>();
        List<AlertDelivery> rows = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> settled = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            metrics.received();
            Anomaly a = decode(r);
            if (a == null) {
                metrics.skipped(AlertsMetrics.SkipReason.NOT_AN_ANOMALY);
                settled.add(r);
                continue;
            }
            List<Target> matched = targets.route(a);
            if (r.headers().lastHeader(RecordHeaders.REPLAY_ORIGIN) != null) {
                metrics.skipped(AlertsMetrics.SkipReason.REPLAY);
                for (Target t : matched) {
                    rows.add(new AlertDelivery(a.anomalyId(), a.revision(), t.name(), t.type(), a.rule(),
                            a.severity().wire(), a.tenantId(), DeliveryStatus.SKIPPED, 0, null,
                            "replayed from the archive: replays never alert", null, now));
                }
                settled.add(r);
            } else if (matched.isEmpty()) {
                metrics.skipped(AlertsMetrics.SkipReason.UNROUTED);
                settled.add(r);
            } else {
                routed.add(new Routed(r, a, matched));
            }
        }
        List<DeliveryKey> keys = new ArrayList<>();
        routed.forEach(x -> x.targets().forEach(t -> keys.add(new DeliveryKey(x.anomaly().anomalyId(),
                x.anomaly().revision(), t.name()))));
        Set<DeliveryKey> finished = keys.isEmpty() ? Set.of() : withDatabase(() -> deliveries.finished(keys));
        if (finished == null) {
            return false;
        }
        Map<ConsumerRecord<byte[], byte[]>, CompletableFuture<?>> waiting = new LinkedHashMap<>();
        for (Routed x : routed) {
            Anomaly a = x.anomaly();
            List<Target> open = new ArrayList<>();
            for (Target t : x.targets()) {
                if (finished.contains(new DeliveryKey(a.anomalyId(), a.revision(), t.name()))) {
                    metrics.outcome(t.name(), AlertsMetrics.Outcome.DUPLICATE);
                } else {
                    open.add(t);
                }
            }
            if (open.isEmpty()) {
                metrics.duplicateRecord();
                settled.add(x.record());
                continue;
            }
            Throttle.Decision decision = throttle.decide(a);
            if (!decision.pass()) {
                for (Target t : open) {
                    rows.add(new AlertDelivery(a.anomalyId(), a.revision(), t.name(), t.type(), a.rule(),
                            a.severity().wire(), a.tenantId(), DeliveryStatus.THROTTLED, 0, null,
                            "throttled: another alert for this rule and actor went out within the window", null, now));
                    metrics.outcome(t.name(), AlertsMetrics.Outcome.THROTTLED);
                }
                metrics.throttledRecord();
                settled.add(x.record());
                continue;
            }
            Notification n = new Notification(a, decision.folded());
            List<CompletableFuture<DeliveryStatus>> futures = new ArrayList<>();
            for (Target t : open) {
                futures.add(enqueue(a, t, n, consumedNanos, rows, now));
            }
            // counted once every delivery finished (on the last worker's thread), before its offset may be committed
            waiting.put(x.record(), CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .thenRun(() -> metrics.deliveredRecord(futures.stream()
                            .allMatch(f -> f.join() == DeliveryStatus.DELIVERED))));
        }
        // the decisions made here (throttled, skipped, queue full) are durable before any offset is released
        if (!rows.isEmpty() && withDatabase(() -> {
            deliveries.record(rows);
            return Boolean.TRUE;
        }) == null) {
            return false;
        }
        // offsets in record order per partition: the tracker keeps each partition's order of addition
        for (ConsumerRecord<byte[], byte[]> r : records) {
            CompletableFuture<?> f = waiting.get(r);
            tracker.add(new TopicPartition(r.topic(), r.partition()), r.offset(),
                    f != null ? f : CompletableFuture.completedFuture(null));
        }
        metrics.pending(tracker.size());
        return true;
    }

    private CompletableFuture<DeliveryStatus> enqueue(Anomaly a, Target t, Notification n, long consumedNanos,
                                                      List<AlertDelivery> rows, Instant now) {
        DeliveryKey key = new DeliveryKey(a.anomalyId(), a.revision(), t.name());
        CompletableFuture<DeliveryStatus> running = inFlight.get(key);
        if (running != null) {
            metrics.outcome(t.name(), AlertsMetrics.Outcome.DUPLICATE);
            return running; // the same record twice in the topic: the first delivery covers both
        }
        Delivery d = new Delivery(a, t, AlertPayloads.render(t, n), consumedNanos,
                consumedNanos + config.giveUpAfter().toNanos());
        if (!workers.get(t.name()).offer(d)) {
            d.lastError = "target queue full (" + config.targetQueueMax() + " deliveries waiting)";
            rows.add(d.outcome(DeliveryStatus.GAVE_UP, now));
            metrics.outcome(t.name(), AlertsMetrics.Outcome.GAVE_UP);
            LOG.warn("alert target {} queue is full: gave up on anomaly {} revision {}", t.name(), a.anomalyId(),
                    a.revision());
            return CompletableFuture.completedFuture(DeliveryStatus.GAVE_UP);
        }
        inFlight.put(key, d.done);
        d.done.whenComplete((s, e) -> inFlight.remove(key, d.done));
        return d.done;
    }

    private static Anomaly decode(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            Anomaly a = AnomalyCodec.fromBytes(r.value());
            if (a.anomalyId() == null || a.rule() == null || a.severity() == null || a.actor() == null
                    || a.revision() < 1) {
                return null;
            }
            UUID.fromString(a.anomalyId()); // the table's key is a uuid, as the index's anomaly table
            return a;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Called by target workers: the outcome row, retried while PostgreSQL is down; false when the stage stops. */
    private boolean recordFinished(Delivery d, DeliveryStatus status) {
        try {
            return withDatabase(() -> {
                deliveries.record(List.of(d.outcome(status, clock.instant())));
                return Boolean.TRUE;
            }) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** Runs the call until it succeeds, backing off while PostgreSQL fails; null when the stage stops meanwhile. */
    private <T> T withDatabase(SqlCall<T> call) throws InterruptedException {
        int failures = 0;
        while (running.get()) {
            try {
                T result = call.call();
                databaseProblem = null;
                return result;
            } catch (SQLException e) {
                failures++;
                metrics.databaseRetry();
                databaseProblem = "PostgreSQL call failing (SQLSTATE " + e.getSQLState() + "); retrying";
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("alerts: PostgreSQL call failed (SQLSTATE {}: {}); retrying with back-off",
                            e.getSQLState(), e.getMessage());
                }
                Thread.sleep(databaseBackoff.delay(failures).toMillis());
            }
        }
        return null;
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.takeCommittable();
        metrics.pending(tracker.size());
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partitions moved: their outcomes are recorded, so the new owner finds them and sends nothing twice
            LOG.warn("offset commit refused ({}); the new owner re-reads these anomalies as duplicates", e.toString());
        }
    }

    private void updateLag() {
        long lag = 0;
        for (TopicPartition p : consumer.assignment()) {
            lag += consumer.currentLag(p).orElse(0);
        }
        metrics.lag(lag);
    }

    private boolean awaitSchema() throws InterruptedException {
        int failures = 0;
        while (running.get()) {
            try {
                deliveries.checkSchema();
                return true;
            } catch (SQLException e) {
                failures++;
                notReady = "PostgreSQL: table alert_delivery not reachable (SQLSTATE " + e.getSQLState()
                        + "); run 'auditrail migrate' if the schema is older than version 3";
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("alerts waiting for PostgreSQL: {}", notReady);
                }
                Thread.sleep(databaseBackoff.delay(failures).toMillis());
            }
        }
        return false;
    }

    private boolean awaitTopic() throws InterruptedException {
        TopicBootstrap bootstrap = new TopicBootstrap(config.adminProperties());
        int failures = 0;
        while (running.get()) {
            try {
                bootstrap.ensure(TopicBootstrap.pipeline(topics, config.maxRecordBytes()).stream()
                        .filter(s -> s.name().equals(topics.anomalies())).toList(), TOPIC_TIMEOUT);
                return true;
            } catch (ExecutionException | TimeoutException | KafkaException e) {
                failures++;
                notReady = "Kafka: cannot ensure topic " + topics.anomalies() + " (" + e.getClass().getSimpleName()
                        + ")";
                LOG.warn("alerts waiting for Kafka: {}", notReady);
                Thread.sleep(databaseBackoff.delay(failures).toMillis());
            }
        }
        return false;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(); // still the owner: release what is done; the rest is re-read (and deduped) by the new owner
            tracker.forget(partitions);
            metrics.pending(tracker.size());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            tracker.forget(partitions);
            metrics.pending(tracker.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }
    }

    /** Stops polling, commits what finished, and stops the target workers (their queues are read again on restart). */
    @Override
    public void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        try {
            loop.join(15_000);
            if (loop.isAlive()) {
                consumer.wakeup();
                loop.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.values().forEach(TargetWorker::close);
        pool.close();
        LOG.info("alerts stopped: {} anomalies received, {} replays skipped, {} unrouted", metrics.receivedCount(),
                metrics.skippedCount(AlertsMetrics.SkipReason.REPLAY),
                metrics.skippedCount(AlertsMetrics.SkipReason.UNROUTED));
    }
}
