package io.auditrail.core.tenant;

import java.util.Map;
import java.util.Optional;

/** Looks up the tenant of a Vault identity entity; the streams stage backs it with a global table. */
@FunctionalInterface
public interface TenantDirectory {
    TenantDirectory EMPTY = entityId -> Optional.empty();

    Optional<String> tenantOfEntity(String entityId);

    static TenantDirectory of(Map<String, String> tenantByEntity) {
        Map<String, String> copy = Map.copyOf(tenantByEntity);
        return entityId -> Optional.ofNullable(copy.get(entityId));
    }
}
