package io.auditrail.alerts;

import io.auditrail.core.anomaly.Anomaly;
import java.util.Locale;

/**
 * What one alert says: the anomaly, and how many anomalies of the same rule and actor the throttle folded away since
 * the last alert sent for them.
 */
public record Notification(Anomaly anomaly, long suppressedSinceLast) {

    /** One line, no links, no secrets (the description never holds one): the Slack fallback and PagerDuty summary. */
    public String summary() {
        Anomaly a = anomaly;
        StringBuilder b = new StringBuilder();
        b.append('[').append(a.severity().wire().toUpperCase(Locale.ROOT)).append("] ").append(a.rule());
        b.append(" by ").append(a.actorDisplayName() != null ? a.actorDisplayName() + " (" + a.actor() + ")" : a.actor());
        b.append(a.tenantId() == null ? " (platform)" : " in tenant " + a.tenantId());
        if (a.description() != null && !a.description().isBlank()) {
            b.append(": ").append(a.description().strip());
        }
        if (a.count() > 1) {
            b.append(" (fired ").append(a.count()).append(" times)");
        }
        if (suppressedSinceLast > 0) {
            b.append(" [+").append(suppressedSinceLast).append(" similar suppressed]");
        }
        return b.toString();
    }
}
