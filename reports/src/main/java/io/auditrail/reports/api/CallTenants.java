package io.auditrail.reports.api;

import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.TenantName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tenants one API call or console page concerns, as its meta-audit row files them: the tenant it named (path,
 * parameter, or the tenant of the event or anomaly it touched) and the tenants of what it returned. Which of them a
 * row keeps is {@link MetaAuditLog.Entry}'s rule: none without a valid token. Confined to the request's thread.
 */
public final class CallTenants {
    private String named;
    private final Set<String> returned = new LinkedHashSet<>();

    /** Notes the tenant the call asked for, if it is one a table may hold (a NUL or 10,000 characters are not kept). */
    public void askedFor(String requested) {
        if (requested == null) {
            return;
        }
        if (TenantName.PLATFORM.equals(requested)) {
            named = requested;
            return;
        }
        try {
            named = TenantName.check(requested);
        } catch (IllegalArgumentException e) {
            named = null; // the refusal's reason says what was wrong with it
        }
    }

    /** Notes a tenant whose data the call returns; null is the platform ({@code -}). */
    public void returned(String tenantOrNull) {
        returned.add(tenantOrNull == null ? TenantName.PLATFORM : tenantOrNull);
    }

    /**
     * Notes an event the call served: filed under the tenants of it the principal may see, the event's own
     * ({@code tenantId}, null for the platform) and the one its path names. An auditor of the path's tenant looking at
     * tenant A's attempt on its secrets is filed under its own tenant only, so A's pack does not learn who looked.
     */
    public void event(Principal principal, String tenantId, String pathTenantId) {
        boolean foreignPath = pathTenantId != null && !pathTenantId.equals(tenantId);
        if (principal.maySee(tenantId)) {
            askedFor(tenantId == null ? TenantName.PLATFORM : tenantId);
            if (foreignPath && principal.maySee(pathTenantId)) {
                returned(pathTenantId);
            }
        } else if (foreignPath) {
            askedFor(pathTenantId);
        }
    }

    /** The tenant the call named, or null. */
    public String named() {
        return named;
    }

    /** The one named, then those returned, each once. */
    public List<String> all() {
        Set<String> out = new LinkedHashSet<>();
        if (named != null) {
            out.add(named);
        }
        out.addAll(returned);
        return new ArrayList<>(out);
    }
}
