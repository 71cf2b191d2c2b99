package io.auditrail.reports.query;

import io.auditrail.reports.token.TenantName;
import java.time.Instant;
import java.util.Set;

/**
 * The parameters of {@code GET /anomalies}, validated. Null means "not filtered"; without a tenant the principal's
 * scope applies (every tenant for admin and compliance, the auditor's own otherwise). {@code from}/{@code to} bound
 * {@code window_start}.
 */
public record AnomalySearch(String tenant, String rule, String severity, String status, Instant from, Instant to,
                            int limit) {
    public static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low");
    public static final Set<String> STATUSES = Set.of("open", "acknowledged", "resolved", "false_positive");

    public AnomalySearch {
        if (tenant != null && !TenantName.PLATFORM.equals(tenant)) {
            try {
                TenantName.check(tenant);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameter("tenant", e.getMessage());
            }
        }
        rule = TextParameter.check("rule", rule, 64);
        severity = TextParameter.oneOf("severity", severity, SEVERITIES);
        status = TextParameter.oneOf("status", status, STATUSES);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidParameter("from", "must be before to");
        }
        if (limit < 1 || limit > EventSearch.MAX_LIMIT) {
            throw new InvalidParameter("limit", "must be between 1 and " + EventSearch.MAX_LIMIT);
        }
    }
}
