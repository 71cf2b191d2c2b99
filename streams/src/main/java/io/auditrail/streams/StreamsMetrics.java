package io.auditrail.streams;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.parse.ParseFailure;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.stage.DeadLetter;
import io.auditrail.core.stage.StageRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the topology counts: the stage's records ({@code auditrail.streams.records{outcome,reason}}, the family every
 * stage emits: raw records received, events sent, lines dead-lettered by failure), plus events by pairing status and
 * anomalies by rule and severity. Tags are enums only (never tenant, path or request id). Under exactly-once a
 * retried task may count a record twice; the topics are the exact record.
 */
public final class StreamsMetrics {
    private final MeterRegistry registry;
    private final StageRecords records;
    private final Map<PairingStatus, Counter> events = new EnumMap<>(PairingStatus.class);
    private final Map<String, Counter> anomalies = new ConcurrentHashMap<>();

    public StreamsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.records = new StageRecords(registry, "streams");
        for (PairingStatus s : PairingStatus.values()) {
            events.put(s, Counter.builder("auditrail.streams.events").tag("pairing", s.wire())
                    .description("events written to the events topic, by pairing status").register(registry));
        }
    }

    /** Counts into nothing: for tests and tools that do not look. */
    public static StreamsMetrics none() {
        return new StreamsMetrics(new CompositeMeterRegistry());
    }

    public void received() {
        records.received(1);
    }

    public void event(PairingStatus status) {
        records.sent(1);
        events.get(status).increment();
    }

    public void dlq(ParseFailure failure) {
        records.dlq(DeadLetter.reasonTag(failure.name()), 1);
    }

    public void anomaly(Anomaly a) {
        anomalies.computeIfAbsent(a.rule() + "|" + a.severity().wire() + "|" + a.revision(), k -> Counter
                .builder("auditrail.streams.anomalies").tag("rule", a.rule()).tag("severity", a.severity().wire())
                .tag("revision", Integer.toString(a.revision()))
                .description("anomaly records written (revision 2 closes a merged anomaly)").register(registry))
                .increment();
    }

    /** The stage's record counts: received = sent + dlq once everything read has gone out. */
    public StageRecords records() {
        return records;
    }

    public double receivedCount() {
        return records.total(StageRecords.Outcome.RECEIVED);
    }

    public double eventCount() {
        return records.total(StageRecords.Outcome.SENT);
    }

    public double dlqCount() {
        return records.total(StageRecords.Outcome.DLQ);
    }
}
