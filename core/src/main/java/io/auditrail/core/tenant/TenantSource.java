package io.auditrail.core.tenant;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a tenant id came from, in the order they are tried. */
public enum TenantSource {
    /** {@code auth.metadata.tenant_id} of the token. */
    METADATA,
    /** The tenant segment of the secret's path ({@code secret/data/tenants/{id}/...}). */
    PATH,
    /** The tenant directory, keyed by the token's entity id. */
    DIRECTORY,
    /** Nothing resolved: a platform event. */
    NONE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
