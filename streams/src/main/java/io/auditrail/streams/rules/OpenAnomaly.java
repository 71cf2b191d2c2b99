package io.auditrail.streams.rules;

import io.auditrail.core.anomaly.Anomaly;
import java.util.List;

/** An anomaly whose merge window is still open: what it will be published as when the window closes. */
public record OpenAnomaly(Anomaly anomaly, long mergeUntilMs) {
    public OpenAnomaly {
        if (anomaly.eventIds().size() > Anomaly.MAX_EVENT_IDS) {
            List<String> ids = anomaly.eventIds();
            anomaly = with(anomaly, ids.subList(ids.size() - Anomaly.MAX_EVENT_IDS, ids.size()));
        }
    }

    private static Anomaly with(Anomaly a, List<String> ids) {
        return new Anomaly(a.schema(), a.anomalyId(), a.rule(), a.severity(), a.tenantId(), a.actor(),
                a.actorDisplayName(), a.remoteAddress(), ids, a.windowStart(), a.windowEnd(), a.count(), a.revision(),
                a.description());
    }
}
