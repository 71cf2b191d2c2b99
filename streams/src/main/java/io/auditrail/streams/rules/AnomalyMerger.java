package io.auditrail.streams.rules;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyId;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.streams.state.StateMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns findings into anomalies: the first finding of a rule for a subject is published at once (revision 1);
 * later findings within the rule's merge window only raise the count; when the window closes with more than one
 * finding, the anomaly is published again with the same id, the final count and the merged event ids
 * (revision 2). State key: {@code <rule>|<tenant>|<subject>}, so a merged anomaly holds only its own tenant's
 * events.
 */
public final class AnomalyMerger {
    private final StateMap<OpenAnomaly> open;

    public AnomalyMerger(StateMap<OpenAnomaly> open) {
        this.open = open;
    }

    public Optional<Anomaly> accept(Finding f, Severity severity, Duration mergeWindow) {
        String key = f.rule().wire() + "|" + Subject.withinTenant(f.trigger().event().tenantId(), f.subject());
        OpenAnomaly current = open.get(key);
        long t = f.time().toEpochMilli();
        if (current != null && t < current.mergeUntilMs()) {
            Anomaly a = current.anomaly();
            var ids = new LinkedHashSet<>(a.eventIds());
            ids.addAll(f.eventIds());
            Instant end = f.time().isAfter(a.windowEnd()) ? f.time() : a.windowEnd();
            open.put(key, new OpenAnomaly(new Anomaly(a.schema(), a.anomalyId(), a.rule(), a.severity(), a.tenantId(),
                    a.actor(), a.actorDisplayName(), a.remoteAddress(), List.copyOf(ids), a.windowStart(), end,
                    a.count() + 1, 2, a.description()), current.mergeUntilMs()));
            return Optional.empty();
        }
        AuditEvent e = f.trigger().event();
        String firstEventId = f.eventIds().get(f.eventIds().size() - 1);
        Anomaly first = new Anomaly(Anomaly.SCHEMA_VERSION, AnomalyId.of(f.rule().wire(), f.subject(), firstEventId),
                f.rule().wire(), severity, e.tenantId(), f.subject(), e.actor() == null ? null : e.actor().displayName(),
                e.actor() == null ? null : e.actor().remoteAddress(), f.eventIds(), f.time(), f.time(), 1, 1,
                f.description());
        open.put(key, new OpenAnomaly(first, t + mergeWindow.toMillis()));
        return Optional.of(first);
    }

    /** Closes the windows that ended by {@code now}; returns the merged anomalies that fired more than once. */
    public List<Anomaly> expire(Instant now) {
        return close(now.toEpochMilli(), false);
    }

    /** Closes every window: the end of an offline input. */
    public List<Anomaly> flush() {
        return close(Long.MAX_VALUE, true);
    }

    private List<Anomaly> close(long nowMs, boolean all) {
        List<Anomaly> out = new ArrayList<>();
        for (Map.Entry<String, OpenAnomaly> e : open.entries()) {
            if (all || e.getValue().mergeUntilMs() <= nowMs) {
                open.delete(e.getKey());
                if (e.getValue().anomaly().count() > 1) {
                    out.add(e.getValue().anomaly());
                }
            }
        }
        return out;
    }
}
