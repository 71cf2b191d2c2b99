package io.auditrail.ingest;

import io.auditrail.core.config.Settings;
import io.auditrail.core.stage.Backoff;
import io.auditrail.core.stage.Stage;
import io.auditrail.core.topic.TopicBootstrap;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: Vault's socket audit device into {@code vault.audit.raw} through a durable spool. This class
 * wires the parts and runs the sender loop; a line is released from the spool only after Kafka acknowledged it.
 */
public final class IngestStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);
    private static final int READ_BATCH_BYTES = 1 << 20;
    private static final int READ_BATCH_RECORDS = 10_000;
    /** Line bytes sent but not acknowledged; kept well below the producer's buffer so send() never blocks on it. */
    private static final long MAX_IN_FLIGHT_BYTES = 16L << 20;
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(5);

    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final DiskSpool spool;
    private final RawRecordSender sender;
    private final TopicBootstrap topics;
    /** Ingest writes raw and DLQ only; it sizes them for the longest record it may send. */
    private final List<TopicBootstrap.Spec> topicSpecs;
    private final ScheduledExecutorService fsyncTimer;
    /** The periodic fsync; a task that throws is never run again, so readiness watches it. */
    private final ScheduledFuture<?> fsyncTask;
    /** Between sends Kafka refused or failed; a send that Kafka acknowledged ends the run. Sender thread only. */
    private final Backoff sendBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    /** Between attempts to create or check the topics. Sender thread only. */
    private final Backoff topicBackoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(30));
    private final Thread senderThread;
    private final SocketAuditReceiver receiver;
    private final Deque<RawRecordSender.InFlight> inFlight = new ArrayDeque<>();
    private volatile boolean running = true;
    private volatile long drainDeadlineNanos;
    private volatile long oldestUnackedMicros;
    private long inFlightBytes;
    private boolean topicsReady;
    private long nextTopicAttemptNanos;
    private long lastKafkaWarningNanos;

    private IngestStage(IngestConfig config, MeterRegistry registry, Clock clock,
                        Producer<byte[], byte[]> producer) throws IOException {
        this.config = config;
        this.clock = clock;
        this.metrics = new IngestMetrics(registry);
        this.spool = DiskSpool.open(config.spoolDir(), config.spoolMaxBytes(), config.spoolSegmentBytes(),
                config.maxRecordBytes(), config.spoolFullPolicy(), config.spoolFsync(), config.spoolReuseSegments());
        metrics.bindSpool(spool, this::oldestAgeMillis);
        this.sender = new RawRecordSender(producer, config.topics(), config.rawMaxLineBytes(), config.maxLineBytes(),
                clock);
        this.topics = new TopicBootstrap(config.adminProperties());
        this.topicSpecs = config.topicSpecs();
        if (config.spoolFsync() == SpoolFsyncPolicy.INTERVAL) {
            fsyncTimer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "ingest-spool-fsync"));
            long every = config.spoolFsyncInterval().toMillis();
            fsyncTask = fsyncTimer.scheduleWithFixedDelay(this::fsync, every, every, TimeUnit.MILLISECONDS);
        } else {
            fsyncTimer = null;
            fsyncTask = null;
        }
        senderThread = new Thread(this::runSender, "ingest-sender");
        senderThread.start();
        SocketAuditReceiver r;
        try {
            r = new SocketAuditReceiver(config, spool, metrics, clock);
        } catch (IOException | RuntimeException e) {
            running = false;
            drainDeadlineNanos = System.nanoTime();
            shutdownSender();
            throw e;
        }
        receiver = r;
    }

    /** Starts the stage: binds the listeners (they accept at once, whatever Kafka's state) and the sender. */
    public static IngestStage start(Settings settings, MeterRegistry registry) throws IOException {
        return start(new IngestConfig(settings), registry, Clock.systemUTC());
    }

    static IngestStage start(IngestConfig config, MeterRegistry registry, Clock clock) throws IOException {
        Map<String, Object> props = config.producerProperties();
        // send() may wait this long for metadata when Kafka is down; the loop retries, the sockets never wait
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        try {
            return new IngestStage(config, registry, clock, producer);
        } catch (IOException | RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /** The bound listener addresses: TCP with its actual port, and the unix socket path if configured. */
    public List<SocketAddress> listenAddresses() {
        return receiver.addresses();
    }

    /** The TCP listener's address (with the real port when 0 was configured), if TCP is enabled. */
    public Optional<InetSocketAddress> tcpAddress() {
        return receiver.addresses().stream().filter(InetSocketAddress.class::isInstance)
                .map(InetSocketAddress.class::cast).findFirst();
    }

    @Override
    public String name() {
        return RawRecordSender.STAGE;
    }

    /**
     * Every thread the stage owns: the receiver (reads Vault's connections), the sender (spool to Kafka) and, with
     * {@code ingest.spool.fsync=interval}, the fsync timer. Kafka's state does not matter, the spool absorbs it.
     */
    @Override
    public String notReadyReason() {
        if (!running) {
            return "ingest is stopping";
        }
        if (!receiver.isReading()) {
            return "the receiver thread stopped: no longer reading from Vault";
        }
        if (!senderThread.isAlive()) {
            return "the sender thread stopped: lines stay in the spool and are not sent to Kafka";
        }
        if (fsyncTask != null && fsyncTask.isDone()) {
            return "the spool fsync timer stopped: lines are not synced to disk";
        }
        return null;
    }

    /** The receiver, for tests that stop it under a running stage. */
    SocketAuditReceiver receiver() {
        return receiver;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    /** Bytes accepted and not yet acknowledged by Kafka. */
    public long spooledBytes() {
        return spool.usedBytes();
    }

    private long oldestAgeMillis() {
        long oldest = oldestUnackedMicros;
        if (oldest == 0 || spool.isEmpty()) {
            return 0;
        }
        return Math.max(0, (micros(clock.instant()) - oldest) / 1000);
    }

    private void fsync() {
        try {
            spool.fsync();
        } catch (IOException e) {
            LOG.warn("spool fsync failed: {}", e.toString());
        }
    }

    private void runSender() {
        try {
            while (true) {
                if (!running && (spool.isEmpty() || System.nanoTime() - drainDeadlineNanos > 0)) {
                    break;
                }
                if (!topicsReady && !ensureTopics()) {
                    // nothing is in flight while Kafka is unreachable: the age comes from the spool itself
                    oldestUnackedMicros = spool.oldestReceivedAtMicros();
                    continue;
                }
                releaseCompleted();
                if (hasFailure()) {
                    recoverFromFailure();
                    continue;
                }
                if (inFlightBytes >= MAX_IN_FLIGHT_BYTES) {
                    spool.awaitSignal(Duration.ofMillis(50));
                    continue;
                }
                SpoolBatch batch = spool.read(READ_BATCH_BYTES, READ_BATCH_RECORDS, Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                if (inFlight.isEmpty()) {
                    oldestUnackedMicros = batch.records().get(0).receivedAtMicros();
                }
                RawRecordSender.InFlight flight = sender.send(batch, spool::wakeReader);
                if (flight.size() > 0) {
                    inFlight.add(flight);
                    inFlightBytes += flight.endPosition() - flight.startPosition();
                }
                if (flight.unsent() != null) {
                    // what Kafka took goes on; the rest is read again from the spool once Kafka answers
                    spool.rewindTo(flight.endPosition());
                    metrics.sendFailed();
                    warnKafka("a send could not start and is retried from the spool", flight.unsent());
                    spool.awaitSignal(sendBackoff.failed());
                }
            }
            awaitInFlight();
            releaseCompleted();
        } catch (IOException | RuntimeException e) {
            LOG.error("ingest sender stopped on an unexpected error; lines stay in the spool {} until restart",
                    spool.directory(), e);
        }
    }

    private boolean ensureTopics() {
        long now = System.nanoTime();
        if (now - nextTopicAttemptNanos < 0) {
            spool.awaitSignal(Duration.ofMillis(200));
            return false;
        }
        try {
            topics.ensure(topicSpecs, TOPIC_TIMEOUT);
            topicsReady = true;
            topicBackoff.succeeded();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (Exception e) {
            warnKafka("cannot create or check the topics", e);
        }
        nextTopicAttemptNanos = System.nanoTime() + topicBackoff.failed().toNanos();
        return false;
    }

    private void warnKafka(String what, Exception e) {
        long now = System.nanoTime();
        if (lastKafkaWarningNanos == 0 || now - lastKafkaWarningNanos > TimeUnit.SECONDS.toNanos(30)) {
            lastKafkaWarningNanos = now;
            LOG.warn("Kafka: {} ({}); lines are kept in the spool ({} bytes) and sent when it is back", what,
                    e.toString(), spool.usedBytes());
        }
    }

    /** Releases the acknowledged batches at the head, in order: a position is released only after its ack. */
    private void releaseCompleted() throws IOException {
        long released = -1;
        while (!inFlight.isEmpty() && inFlight.peekFirst().done() && inFlight.peekFirst().failure() == null) {
            RawRecordSender.InFlight f = inFlight.pollFirst();
            long ackAt = f.completedAtMicros();
            // one observation per socket read: its lines share the receive time and so the latency
            for (long receivedAt : f.receivedAtMicros()) {
                metrics.latency(ackAt - receivedAt);
            }
            for (LineKind kind : LineKind.values()) {
                metrics.delivered(kind, f.count(kind));
            }
            inFlightBytes -= f.endPosition() - f.startPosition();
            released = f.endPosition();
        }
        if (released >= 0) {
            sendBackoff.succeeded();
            spool.release(released);
            RawRecordSender.InFlight head = inFlight.peekFirst();
            oldestUnackedMicros = head != null ? head.firstReceivedAtMicros()
                    : spool.oldestReceivedAtMicros();
        }
    }

    private boolean hasFailure() {
        for (RawRecordSender.InFlight f : inFlight) {
            if (f.failure() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * A line Kafka had failed (its delivery timeout passed): let every other send finish, keep what was acknowledged
     * up to the failure, and read the spool again from there. Lines after it that Kafka did take are sent twice;
     * event ids make that harmless. (A line refused inside send() never reached Kafka and takes the cheaper path in
     * the sender loop: reading again from that line.)
     */
    private void recoverFromFailure() throws IOException {
        if (!awaitInFlight()) {
            return;
        }
        releaseCompleted();
        Exception failure = null;
        int resent = 0;
        for (RawRecordSender.InFlight f : inFlight) {
            if (failure == null) {
                failure = f.failure();
            }
            resent += f.size();
        }
        inFlight.clear();
        inFlightBytes = 0;
        spool.rewind();
        metrics.sendFailed();
        metrics.resent(resent);
        warnKafka("a send failed and is retried from the spool", failure == null ? new IllegalStateException() : failure);
        spool.awaitSignal(sendBackoff.failed());
    }

    /** Waits until Kafka answered every send, or the drain deadline when stopping. */
    private boolean awaitInFlight() {
        while (!inFlight.stream().allMatch(RawRecordSender.InFlight::done)) {
            if (!running && System.nanoTime() - drainDeadlineNanos > 0) {
                return false;
            }
            spool.awaitSignal(Duration.ofMillis(50));
        }
        return true;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    /**
     * Stops reading from Vault (connections close; Vault reconnects elsewhere or later), sends what the spool holds
     * for up to {@code ingest.shutdown.drain.timeout.ms}, and leaves the rest in the spool for the next start.
     */
    @Override
    public void close() {
        if (receiver != null) {
            receiver.close();
        }
        drainDeadlineNanos = System.nanoTime() + config.shutdownDrainTimeout().toNanos();
        running = false;
        spool.wakeReader();
        shutdownSender();
        long left = spool.usedBytes();
        if (left > 0) {
            LOG.warn("ingest stopped with {} bytes not yet acknowledged by Kafka; they stay in {} and are sent on the "
                    + "next start", left, spool.directory());
        }
        LOG.info("ingest stopped: {} lines received, {} sent, {} to the DLQ, {} dropped, {} fragments discarded",
                metrics.linesReceived(), metrics.linesSent(), metrics.linesToDlq(), metrics.linesDropped(),
                metrics.fragmentsDiscarded());
    }

    private void shutdownSender() {
        try {
            senderThread.join(config.shutdownDrainTimeout().toMillis() + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close(Duration.ofSeconds(2));
        if (fsyncTimer != null) {
            fsyncTimer.shutdownNow();
        }
        spool.close();
    }
}
