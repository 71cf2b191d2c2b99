package io.auditrail.core.tenant;

/**
 * The tenant an entry belongs to and how that was decided. Beside it, kept apart: the tenant of the
 * token ({@code actorTenantId}: metadata, else directory) and the tenant named by the path
 * ({@code pathTenantId}), so a token of tenant A touching tenant B's secret is visible as such.
 */
public record TenantResolution(String tenantId, TenantSource source, String actorTenantId, String pathTenantId) {
    public static final TenantResolution NONE = new TenantResolution(null, TenantSource.NONE, null, null);

    /** True when the token's own tenant and the path's tenant are both known and differ. */
    public boolean crossesTenants() {
        return actorTenantId != null && pathTenantId != null && !actorTenantId.equals(pathTenantId);
    }
}
