package io.auditrail.ingest;

import io.auditrail.core.stage.StageRecords;
import io.auditrail.core.stage.StageRecords.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Every outcome of the ingest stage as Micrometer meters (Prometheus names {@code auditrail_ingest_*}). Lines are the
 * stage's records, counted in the kit's family {@code auditrail.ingest.records{outcome, reason}}: received (complete
 * lines read), sent (acknowledged on the raw topic), dlq (acknowledged on the dead-letter topic, reason the line kind),
 * dropped (delivered nowhere, reason a {@link DropReason}). Tags hold only bounded values (a kind, a reason, at most
 * {@link #MAX_NODE_SERIES} node addresses), never a tenant, path, arbitrary peer or request id. When the stage is
 * idle received = sent + dlq + dropped, refused lines included (they go to the DLQ or are dropped by reason);
 * fragments are counted apart, since they are not lines (Vault sends the whole line again).
 */
public final class IngestMetrics {
    private static final String PREFIX = "auditrail.ingest.";
    /** Distinct node addresses with a series of their own; later ones share {@link #OTHER_NODES}. */
    static final int MAX_NODE_SERIES = 16;
    static final String OTHER_NODES = "other";

    private final StageRecords records;
    private final Counter bytesReceived;
    private final Map<CloseReason, Counter> fragments = new EnumMap<>(CloseReason.class);
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Map<String, Counter> nodeSeries = new ConcurrentHashMap<>();
    private final Counter fragmentBytes;
    private final Counter connectionsAccepted;
    private final Counter connectionsRefused;
    private final Counter resent;
    private final Counter sendFailures;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Timer latency;

    public IngestMetrics(MeterRegistry registry) {
        records = new StageRecords(registry, RawRecordSender.STAGE);
        bytesReceived = Counter.builder(PREFIX + "bytes.received").baseUnit("bytes")
                .description("Bytes read from the sockets").register(registry);
        // the series alerts watch exist from the start (an alert on increase() misses a series born at 1)
        records.declare(Outcome.RECEIVED, null);
        records.declare(Outcome.SENT, null);
        for (LineKind kind : LineKind.values()) {
            if (kind != LineKind.RAW) {
                records.declare(Outcome.DLQ, dlqReason(kind));
            }
        }
        for (DropReason reason : DropReason.values()) {
            records.declare(Outcome.DROPPED, reason.tag());
        }
        for (CloseReason reason : CloseReason.values()) {
            fragments.put(reason, Counter.builder(PREFIX + "fragments.discarded").tag("reason", reason.tag())
                    .description("Unterminated lines dropped when their connection closed, by why it closed (Vault "
                            + "re-sends a line its write failed on whole)").register(registry));
            closed.put(reason, Counter.builder(PREFIX + "connections.closed").tag("reason", reason.tag())
                    .description("Connections closed, by why").register(registry));
        }
        fragmentBytes = Counter.builder(PREFIX + "fragments.discarded.bytes").baseUnit("bytes").register(registry);
        connectionsAccepted = Counter.builder(PREFIX + "connections.accepted").register(registry);
        connectionsRefused = Counter.builder(PREFIX + "connections.refused")
                .description("Connections closed at once: ingest.max.connections were open, every one trusted")
                .register(registry);
        resent = Counter.builder(PREFIX + "lines.resent")
                .description("Lines sent to Kafka again after a failed send (possible duplicates)").register(registry);
        sendFailures = Counter.builder(PREFIX + "send.failures")
                .description("Kafka sends that failed or were refused (no broker), retried from the spool")
                .register(registry);
        Gauge.builder(PREFIX + "connections.open", openConnections, AtomicInteger::get).register(registry);
        latency = Timer.builder(PREFIX + "produce.latency")
                .description("From reading lines off the socket to Kafka acknowledging them; one observation per "
                        + "socket read, whose lines share that time")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        this.registry = registry;
    }

    private final MeterRegistry registry;

    /** Registers the spool gauges: bytes held, its bound, age of the oldest line, whether reading is blocked. */
    void bindSpool(DiskSpool spool, LongSupplier oldestAgeMillis) {
        Gauge.builder(PREFIX + "spool.bytes", spool, DiskSpool::usedBytes).baseUnit("bytes")
                .description("Bytes accepted from Vault and not yet acknowledged by Kafka").register(registry);
        Gauge.builder(PREFIX + "spool.max.bytes", spool, DiskSpool::maxBytes).baseUnit("bytes").register(registry);
        // a gauge holds its object weakly, and nothing else holds this method reference
        Gauge.builder(PREFIX + "spool.oldest.age", oldestAgeMillis, s -> s.getAsLong() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest line not yet acknowledged by Kafka").strongReference(true)
                .register(registry);
        Gauge.builder(PREFIX + "spool.blocked", spool, s -> s.isBlocked() ? 1 : 0)
                .description("1 while reading from Vault waits for spool space").register(registry);
        Gauge.builder(PREFIX + "spool.full.episodes", spool, DiskSpool::fullEpisodes).register(registry);
        Gauge.builder(PREFIX + "spool.corrupt.regions", spool, DiskSpool::corruptRegions).register(registry);
    }

    /** Registers the gauges of the partial-line budget: bytes held for unfinished lines, and the bound. */
    void bindPartialLines(PartialLineBudget budget) {
        Gauge.builder(PREFIX + "partial.lines.bytes", budget, PartialLineBudget::used).baseUnit("bytes")
                .description("Heap held for lines not finished yet, all connections together").register(registry);
        Gauge.builder(PREFIX + "partial.lines.max.bytes", budget, PartialLineBudget::max).baseUnit("bytes")
                .register(registry);
    }

    /**
     * Accepted lines from one Vault node (its address, not the port, which changes with each reconnect): what the
     * "no audit lines from a node" alert watches. Only connections that delivered an accepted line get one, and only
     * the first {@link #MAX_NODE_SERIES} addresses of the process's life: later ones (pod addresses change on
     * restarts) share the series {@code node="other"}, so no address can add series without bound.
     */
    Counter nodeLines(String node) {
        Counter c = nodeSeries.get(node);
        if (c != null) {
            return c;
        }
        String tag = nodeSeries.size() < MAX_NODE_SERIES ? node : OTHER_NODES;
        return nodeSeries.computeIfAbsent(tag, t -> Counter.builder(PREFIX + "node.lines.received").tag("node", t)
                .description("Accepted lines from one Vault node, before the spool").register(registry));
    }

    void bytesRead(long bytes) {
        bytesReceived.increment(bytes);
    }

    void linesRead(int lines) {
        records.received(lines);
    }

    void delivered(LineKind kind, int lines) {
        switch (kind) {
            case RAW -> records.sent(lines);
            case OVERSIZE, OVERSIZE_TRUNCATED, PREFIX_REFUSED, PEER_REFUSED -> records.dlq(dlqReason(kind), lines);
        }
    }

    void dropped(DropReason reason, int lines) {
        records.dropped(reason.tag(), lines);
    }

    /** The dlq reason tag of a line kind: its name in lower case ({@code oversize_truncated}), as it always was. */
    private static String dlqReason(LineKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** The stage's lines by outcome: received = sent + dlq + dropped once the spool is empty. */
    public StageRecords records() {
        return records;
    }

    void fragment(CloseReason reason, long bytes) {
        fragments.get(reason).increment();
        fragmentBytes.increment(bytes);
    }

    void connectionOpened() {
        connectionsAccepted.increment();
        openConnections.incrementAndGet();
    }

    void connectionClosed(CloseReason reason) {
        closed.get(reason).increment();
        openConnections.decrementAndGet();
    }

    void connectionRefused() {
        connectionsRefused.increment();
    }

    void resent(int lines) {
        resent.increment(lines);
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void latency(long micros) {
        latency.record(Math.max(0, micros), TimeUnit.MICROSECONDS);
    }

    public long linesReceived() {
        return (long) records.total(Outcome.RECEIVED);
    }

    public long bytesReceived() {
        return (long) bytesReceived.count();
    }

    public long linesSent() {
        return (long) records.total(Outcome.SENT);
    }

    public long linesToDlq() {
        return (long) records.total(Outcome.DLQ);
    }

    public long linesToDlq(LineKind kind) {
        return (long) records.total(Outcome.DLQ, dlqReason(kind));
    }

    public long linesDropped() {
        return (long) records.total(Outcome.DROPPED);
    }

    public long linesDropped(DropReason reason) {
        return (long) records.total(Outcome.DROPPED, reason.tag());
    }

    public long fragmentsDiscarded() {
        return (long) fragments.values().stream().mapToDouble(Counter::count).sum();
    }

    public long fragmentsDiscarded(CloseReason reason) {
        return (long) fragments.get(reason).count();
    }

    public long connectionsClosed(CloseReason reason) {
        return (long) closed.get(reason).count();
    }

    public int openConnections() {
        return openConnections.get();
    }

    public long connectionsRefused() {
        return (long) connectionsRefused.count();
    }

    /** Sends that failed or that the producer refused (Kafka unreachable); their lines stay in the spool. */
    public long sendFailures() {
        return (long) sendFailures.count();
    }

    public long linesResent() {
        return (long) resent.count();
    }

    public Timer latency() {
        return latency;
    }
}
