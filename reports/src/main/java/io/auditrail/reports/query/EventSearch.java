package io.auditrail.reports.query;

import io.auditrail.reports.token.TenantName;
import java.time.Instant;
import java.util.Set;

/**
 * One tenant's events, filtered: the parameters of {@code GET /tenants/{tenant}/events}, validated here so the query
 * layer refuses bad input whoever calls it. Null means "not filtered"; {@code from}/{@code to} default to the
 * configured window ending now; {@code cursor} continues a previous page of the same search.
 *
 * @param tenant     a tenant id, or {@code -} for platform events
 * @param pathPrefix matched literally ({@code %} and {@code _} are not wildcards)
 * @param actor      an entity id or a display name
 */
public record EventSearch(String tenant, Instant from, Instant to, String operation, String pathPrefix, String actor,
                          String outcome, int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final Set<String> OUTCOMES = Set.of("ok", "denied", "error");

    public EventSearch {
        if (!TenantName.PLATFORM.equals(tenant)) {
            try {
                TenantName.check(tenant);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameter("tenant", e.getMessage());
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidParameter("from", "must be before to");
        }
        operation = TextParameter.check("operation", operation, 64);
        pathPrefix = TextParameter.check("path_prefix", pathPrefix, 1024);
        actor = TextParameter.check("actor", actor, 256);
        outcome = TextParameter.oneOf("outcome", outcome, OUTCOMES);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameter("limit", "must be between 1 and " + MAX_LIMIT);
        }
        cursor = TextParameter.check("cursor", cursor, 512);
    }

    /** The filters as the caller gave them: what a cursor is bound to. */
    String fingerprintSource() {
        // U+0000 separates and U+0001 stands for "absent": neither can be in a value (control characters are refused)
        return String.join("\u0000", tenant, part(from), part(to), part(operation), part(pathPrefix), part(actor),
                part(outcome));
    }

    private static String part(Object value) {
        return value == null ? "\u0001" : value.toString();
    }
}
