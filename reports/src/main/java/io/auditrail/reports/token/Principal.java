package io.auditrail.reports.token;

import java.util.Set;

/**
 * Who is calling: an authenticated token. {@code tenants} is the auditor's scope; empty for admin and compliance,
 * who see every tenant (platform events included).
 */
public record Principal(String tokenId, Role role, Set<String> tenants) {
    public Principal {
        tenants = Set.copyOf(tenants);
    }

    /** Whether this principal may see a tenant's data; {@code null} is the platform (no tenant). */
    public boolean maySee(String tenant) {
        return !role.tenantScoped() || (tenant != null && tenants.contains(tenant));
    }
}
