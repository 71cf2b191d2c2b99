package io.auditrail.reports.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One row of {@code anomaly}; {@code status} is its latest disposition ({@code open} until someone decides). */
public record AnomalyRecord(UUID anomalyId, String rule, String severity, String tenantId, String actor,
                            String actorDisplayName, String remoteAddress, List<UUID> eventIds, Instant windowStart,
                            Instant windowEnd, long firedCount, int revision, String description, String status,
                            Instant firstIndexedAt, Instant updatedAt) {
    public AnomalyRecord {
        eventIds = List.copyOf(eventIds);
    }
}
