package io.auditrail.streams.tenant;

import java.util.Map;
import java.util.Optional;

/** Looks up a tenant's profile by tenant id; the topology backs it with the global tenant directory store. */
@FunctionalInterface
public interface TenantProfiles {
    TenantProfiles NONE = tenantId -> Optional.empty();

    Optional<TenantProfile> profile(String tenantId);

    static TenantProfiles of(Map<String, TenantProfile> byTenant) {
        Map<String, TenantProfile> copy = Map.copyOf(byTenant);
        return tenantId -> tenantId == null ? Optional.empty() : Optional.ofNullable(copy.get(tenantId));
    }
}
