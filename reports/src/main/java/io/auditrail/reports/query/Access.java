package io.auditrail.reports.query;

import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.Role;
import io.auditrail.reports.token.TenantName;
import java.util.Arrays;

/** The two access rules, in one place: a role may be required, and a tenant (or the platform) must be in scope. */
public final class Access {
    private Access() {
    }

    /** Refuses a principal whose role is not one of {@code roles}. */
    public static void requireRole(Principal principal, Role... roles) {
        if (!Arrays.asList(roles).contains(principal.role())) {
            throw new AccessDenied(null, "role " + principal.role().dbName() + " may not do this");
        }
    }

    /**
     * Refuses a tenant the principal may not see. {@code tenant} is a tenant id as the caller named it; {@code -}
     * names platform events (no tenant), which only admin and compliance see.
     */
    public static void requireTenant(Principal principal, String tenant) {
        boolean platform = TenantName.PLATFORM.equals(tenant);
        if (!principal.maySee(platform ? null : tenant)) {
            throw new AccessDenied(tenant, platform ? "this token may not see platform events"
                    : "this token may not see tenant " + tenant);
        }
    }
}
