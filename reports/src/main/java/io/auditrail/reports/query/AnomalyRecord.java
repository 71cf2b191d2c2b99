package io.auditrail.reports.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code anomaly}; {@code status} is its latest disposition ({@code open} until someone decides).
 * {@code via} says why it is shown: {@code tenant}, it is filed under a tenant the caller asked for or may see;
 * {@code path}, it is filed under another tenant (whose token it concerns) and some of its events named the caller's
 * tenant's paths. A {@code path} anomaly is shown as that tenant's view of it: only the events that named its paths
 * ({@code eventIds}, {@code firedCount}) and a description of its own, never the other tenant's events or paths;
 * {@code shownFor} names the tenants whose view it is (empty for {@code tenant}).
 */
public record AnomalyRecord(UUID anomalyId, String rule, String severity, String tenantId, String actor,
                            String actorDisplayName, String remoteAddress, List<UUID> eventIds, Instant windowStart,
                            Instant windowEnd, long firedCount, int revision, String description, String status,
                            Instant firstIndexedAt, Instant updatedAt, String via, List<String> shownFor) {
    /** Shown because it is filed under the tenant. */
    public static final String VIA_TENANT = "tenant";
    /** Shown because its events named the tenant's paths; filed under another tenant. */
    public static final String VIA_PATH = "path";

    /** The description of another tenant's anomaly as {@code tenants} see it: nothing of its other events or paths. */
    public static String pathDescription(String owner, long events, List<String> tenants) {
        return "Filed under tenant " + (owner == null ? "(platform)" : owner) + ", the tenant of the token involved: "
                + events + " of its events named paths of tenant " + String.join(", ", tenants) + ".";
    }

    public AnomalyRecord {
        eventIds = List.copyOf(eventIds);
        shownFor = List.copyOf(shownFor);
    }
}
