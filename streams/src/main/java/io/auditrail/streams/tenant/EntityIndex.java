package io.auditrail.streams.tenant;

import io.auditrail.core.tenant.TenantDirectory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Entity id to tenant id, inverted from the tenant profiles (the directory topic is keyed by tenant). Rebuilt
 * as a whole from the profiles, so a tenant that drops an entity loses it. An entity claimed by two tenants
 * resolves to the smaller tenant id, so every instance decides the same way.
 */
public final class EntityIndex implements TenantDirectory {
    private volatile Map<String, String> tenantByEntity = Map.of();

    public void rebuild(Iterable<TenantProfile> profiles) {
        Map<String, String> next = new HashMap<>();
        for (TenantProfile p : profiles) {
            if (p == null || p.tenantId() == null) {
                continue;
            }
            for (String entity : p.entityIds()) {
                next.merge(entity, p.tenantId(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        tenantByEntity = Map.copyOf(next);
    }

    @Override
    public Optional<String> tenantOfEntity(String entityId) {
        return entityId == null ? Optional.empty() : Optional.ofNullable(tenantByEntity.get(entityId));
    }

    public int size() {
        return tenantByEntity.size();
    }
}
