package io.auditrail.core.anomaly;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A detection: the value of {@code vault.audit.anomalies} (schema in docs/ANOMALIES.md), keyed by
 * {@code tenant_id} ({@code -} when none).
 *
 * <p>Repeated firings of one rule for one actor within the rule's merge window are one anomaly: the first
 * firing is published at once ({@code revision} 1, {@code count} 1) so on-call hears of it within seconds;
 * when the window closes with more firings, the same {@code anomaly_id} is published again with the final
 * {@code count}, {@code window_end} and {@code event_ids} ({@code revision} 2). Consumers upsert by
 * {@code anomaly_id}, keeping the highest revision. The id is derived from rule, actor and the first
 * event's id, so a replay or a restart never makes a second anomaly.
 *
 * @param actor         the subject the rule groups by: {@code entity:<id>}, {@code token:<hmac accessor>},
 *                      {@code addr:<ip>} or {@code -}
 * @param eventIds      the events that fired the rule, oldest first, at most {@link #MAX_EVENT_IDS}
 * @param windowStart   event time of the first firing
 * @param windowEnd     event time of the last firing merged into this anomaly
 * @param count         how many times the rule fired within the window
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Anomaly(
        int schema,
        String anomalyId,
        String rule,
        Severity severity,
        String tenantId,
        String actor,
        String actorDisplayName,
        String remoteAddress,
        List<String> eventIds,
        Instant windowStart,
        Instant windowEnd,
        long count,
        int revision,
        String description) {

    public static final int SCHEMA_VERSION = 1;
    /** Event ids kept per anomaly; {@code count} goes on counting beyond it. */
    public static final int MAX_EVENT_IDS = 50;

    public Anomaly {
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }

    /** The record key on {@code vault.audit.anomalies}: the tenant, or {@code -} for platform anomalies. */
    public String topicKey() {
        return tenantId == null ? "-" : tenantId;
    }
}
