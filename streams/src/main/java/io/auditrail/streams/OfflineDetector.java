package io.auditrail.streams;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.pairing.PendingRequest;
import io.auditrail.streams.pairing.RequestPairing;
import io.auditrail.streams.rules.Detector;
import io.auditrail.streams.rules.RuleBook;
import io.auditrail.streams.state.MemoryStateMap;
import io.auditrail.streams.state.StateMaps;
import io.auditrail.streams.tenant.TenantProfiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The topology's pairing and rules over events in memory, for {@code auditrail inspect}: the very same classes,
 * with event time as the clock (the pairing timeout counts from the request's time). Feed events in file order;
 * call {@link #finish()} at the end of input to release unanswered requests (audit gaps) and close merge windows.
 * An anomaly id met twice is an update with a higher count (revision 2): count distinct ids.
 */
public final class OfflineDetector {
    private final RequestPairing pairing;
    private final Detector detector;
    private final long sweepMs;
    private long latestMs = Long.MIN_VALUE;
    private long lastSweepMs = Long.MIN_VALUE;

    public OfflineDetector(RuleBook rules, Duration pairingTimeout, TenantProfiles profiles) {
        this.pairing = new RequestPairing(new MemoryStateMap<PendingRequest>(), pairingTimeout, rules.noResponsePaths());
        this.detector = rules.detector(StateMaps.IN_MEMORY, profiles);
        this.sweepMs = 1_000;
    }

    /** The shipped rules, the default pairing timeout, no tenant directory. */
    public static OfflineDetector defaults() {
        return new OfflineDetector(RuleBook.defaults(), defaultPairingTimeout(), TenantProfiles.NONE);
    }

    /** Rules from a file ({@code --rules}), or the shipped ones when {@code rulesFile} is null. */
    public static OfflineDetector of(Path rulesFile) {
        return new OfflineDetector(rulesFile == null ? RuleBook.defaults() : RuleBook.load(rulesFile),
                defaultPairingTimeout(), TenantProfiles.NONE);
    }

    private static Duration defaultPairingTimeout() {
        return Duration.ofMillis((Long) StreamsStageConfig.DEFINITION.defaultValues()
                .get(StreamsStageConfig.PAIRING_TIMEOUT_MS));
    }

    /** The events and anomalies one step produced. */
    public record Output(List<PairedEvent> events, List<Anomaly> anomalies) {
    }

    /** The anomalies this event raises (including gaps and merged anomalies whose windows it closes). */
    public List<Anomaly> accept(AuditEvent event) {
        return step(event).anomalies();
    }

    /** Everything the audit trail would emit on this event: paired events released, anomalies raised. */
    public Output step(AuditEvent event) {
        long t = event.time().toEpochMilli();
        latestMs = Math.max(latestMs, t);
        List<PairedEvent> released = new ArrayList<>(pairing.accept(event, t));
        List<Anomaly> anomalies = new ArrayList<>();
        if (lastSweepMs == Long.MIN_VALUE || latestMs - lastSweepMs >= sweepMs) {
            lastSweepMs = latestMs;
            released.addAll(pairing.expire(latestMs));
            for (PairedEvent e : released) {
                anomalies.addAll(detector.accept(e));
            }
            anomalies.addAll(detector.expire(java.time.Instant.ofEpochMilli(latestMs)));
        } else {
            for (PairedEvent e : released) {
                anomalies.addAll(detector.accept(e));
            }
        }
        return new Output(released, anomalies);
    }

    /** End of input: waiting requests become audit gaps, every merge window closes. */
    public List<Anomaly> finish() {
        return finishStep().anomalies();
    }

    public Output finishStep() {
        List<PairedEvent> released = pairing.flush();
        List<Anomaly> anomalies = new ArrayList<>();
        for (PairedEvent e : released) {
            anomalies.addAll(detector.accept(e));
        }
        anomalies.addAll(detector.flush());
        return new Output(released, anomalies);
    }
}
