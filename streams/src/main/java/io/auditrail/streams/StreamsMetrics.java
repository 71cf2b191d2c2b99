package io.auditrail.streams;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.parse.ParseFailure;
import io.auditrail.core.event.PairingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the topology counts: raw records read, events out by pairing status, dead letters by failure, anomalies
 * by rule and severity. Tags are enums only (never tenant, path or request id). Under exactly-once a retried
 * task may count a record twice; the topics are the exact record.
 */
public final class StreamsMetrics {
    private final MeterRegistry registry;
    private final Counter received;
    private final Map<PairingStatus, Counter> events = new EnumMap<>(PairingStatus.class);
    private final Map<ParseFailure, Counter> dlq = new EnumMap<>(ParseFailure.class);
    private final Map<String, Counter> anomalies = new ConcurrentHashMap<>();

    public StreamsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("auditrail.streams.received").description("raw records read")
                .register(registry);
        for (PairingStatus s : PairingStatus.values()) {
            events.put(s, Counter.builder("auditrail.streams.events").tag("pairing", s.wire())
                    .description("events written to the events topic").register(registry));
        }
        for (ParseFailure f : ParseFailure.values()) {
            dlq.put(f, Counter.builder("auditrail.streams.dlq").tag("failure", f.name())
                    .description("raw records dead-lettered").register(registry));
        }
    }

    /** Counts into nothing: for tests and tools that do not look. */
    public static StreamsMetrics none() {
        return new StreamsMetrics(new CompositeMeterRegistry());
    }

    public void received() {
        received.increment();
    }

    public void event(PairingStatus status) {
        events.get(status).increment();
    }

    public void dlq(ParseFailure failure) {
        dlq.get(failure).increment();
    }

    public void anomaly(Anomaly a) {
        anomalies.computeIfAbsent(a.rule() + "|" + a.severity().wire() + "|" + a.revision(), k -> Counter
                .builder("auditrail.streams.anomalies").tag("rule", a.rule()).tag("severity", a.severity().wire())
                .tag("revision", Integer.toString(a.revision()))
                .description("anomaly records written (revision 2 closes a merged anomaly)").register(registry))
                .increment();
    }

    public double receivedCount() {
        return received.count();
    }

    public double eventCount() {
        return events.values().stream().mapToDouble(Counter::count).sum();
    }

    public double dlqCount() {
        return dlq.values().stream().mapToDouble(Counter::count).sum();
    }
}
