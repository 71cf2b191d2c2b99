package io.auditrail.streams;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.pairing.WaitingEntry;
import io.auditrail.streams.pairing.RequestPairing;
import io.auditrail.streams.rules.Detector;
import io.auditrail.streams.rules.RuleBook;
import io.auditrail.streams.state.MemoryStateMap;
import io.auditrail.streams.state.StateMaps;
import io.auditrail.streams.tenant.TenantProfiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The topology's pairing and rules over events in memory, for {@code auditrail inspect}: the very same classes,
 * with event time as the clock. Input may come in any order, as the live topology may meet it: an entry waits for its
 * counterpart until the newest event time seen has passed its own time by the pairing timeout plus the allowed
 * lateness, and merge windows close the same lateness behind the newest event, as in the topology. Call
 * {@link #finish()} at the end of input to release what still waits (audit gaps) and close merge windows. An
 * anomaly id met twice is an update with a higher count (revision 2): count distinct ids.
 */
public final class OfflineDetector {
    private final RequestPairing pairing;
    private final Detector detector;
    private final long latenessMs;
    private final long sweepMs;
    private long latestMs = Long.MIN_VALUE;
    private long lastSweepMs = Long.MIN_VALUE;

    public OfflineDetector(RuleBook rules, Duration pairingTimeout, Duration lateness, TenantProfiles profiles) {
        this.pairing = new RequestPairing(new MemoryStateMap<WaitingEntry>(), pairingTimeout, rules.noResponsePaths(),
                Long.MIN_VALUE);
        this.detector = rules.detector(StateMaps.IN_MEMORY, profiles);
        this.latenessMs = lateness.toMillis();
        this.sweepMs = 1_000;
    }

    /** The shipped rules, the default pairing timeout and lateness, no tenant directory. */
    public static OfflineDetector defaults() {
        return of(null);
    }

    /** Rules from a file ({@code --rules}), or the shipped ones when {@code rulesFile} is null. */
    public static OfflineDetector of(Path rulesFile) {
        return new OfflineDetector(rulesFile == null ? RuleBook.defaults() : RuleBook.load(rulesFile),
                defaultMillis(StreamsStageConfig.PAIRING_TIMEOUT_MS), defaultMillis(StreamsStageConfig.DETECT_LATENESS_MS),
                TenantProfiles.NONE);
    }

    private static Duration defaultMillis(String key) {
        return Duration.ofMillis((Long) StreamsStageConfig.DEFINITION.defaultValues().get(key));
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
        List<RequestPairing.Release> released = new ArrayList<>(pairing.accept(event, t, null));
        boolean sweep = lastSweepMs == Long.MIN_VALUE || latestMs - lastSweepMs >= sweepMs;
        if (sweep) {
            lastSweepMs = latestMs;
            released.addAll(pairing.expire(latestMs - latenessMs));
        }
        Output out = detect(released);
        if (sweep) {
            out.anomalies().addAll(detector.expire(Instant.ofEpochMilli(latestMs - latenessMs)));
        }
        return out;
    }

    /** End of input: waiting entries are released on their own (requests as audit gaps), every merge window closes. */
    public List<Anomaly> finish() {
        return finishStep().anomalies();
    }

    public Output finishStep() {
        Output out = detect(pairing.flush());
        out.anomalies().addAll(detector.flush());
        return out;
    }

    private Output detect(List<RequestPairing.Release> released) {
        List<PairedEvent> events = new ArrayList<>(released.size());
        List<Anomaly> anomalies = new ArrayList<>();
        for (RequestPairing.Release r : released) {
            events.add(r.event());
            anomalies.addAll(detector.accept(r.event()));
        }
        return new Output(events, anomalies);
    }
}
