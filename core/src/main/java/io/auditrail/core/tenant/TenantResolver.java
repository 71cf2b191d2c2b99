package io.auditrail.core.tenant;

import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.entry.Auth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which tenant an entry belongs to: the token's {@code auth.metadata} key first, then the
 * tenant named in the secret's path, then the tenant directory by entity id. Pure and thread-safe.
 */
public final class TenantResolver {
    /** Default path template: KV v2 under {@code secret/}, tenant id as the segment after {@code tenants/}. */
    public static final String DEFAULT_PATH_PATTERN = "^secret/(?:data|metadata|delete|undelete|destroy)/tenants/(?<tenant>[^/]+)(?:/|$)";

    private final String metadataKey;
    private final Pattern pathPattern;
    private final TenantDirectory directory;

    /**
     * @param pathPattern a regular expression with a named group {@code tenant}, matched against the raw
     *                    request path
     */
    public TenantResolver(String metadataKey, String pathPattern, TenantDirectory directory) {
        this.metadataKey = metadataKey;
        this.pathPattern = Pattern.compile(pathPattern);
        if (!pathPattern.contains("(?<tenant>")) {
            throw new IllegalArgumentException("tenant path pattern needs a named group (?<tenant>...): " + pathPattern);
        }
        this.directory = directory;
    }

    public static TenantResolver defaults() {
        return new TenantResolver("tenant_id", DEFAULT_PATH_PATTERN, TenantDirectory.EMPTY);
    }

    public TenantResolver withDirectory(TenantDirectory directory) {
        return new TenantResolver(metadataKey, pathPattern.pattern(), directory);
    }

    public TenantResolution resolve(AuditEntry entry) {
        String pathTenant = pathTenant(entry.request().path());
        String fromToken = tokenTenant(entry.auth());
        if (fromToken == null && entry.response() != null && entry.response().auth() != null) {
            fromToken = tokenTenant(entry.response().auth());
        }
        if (fromToken != null) {
            return new TenantResolution(fromToken, TenantSource.METADATA, fromToken, pathTenant);
        }
        String fromDirectory = directoryTenant(entry.auth().entityId());
        if (pathTenant != null) {
            return new TenantResolution(pathTenant, TenantSource.PATH, fromDirectory, pathTenant);
        }
        if (fromDirectory != null) {
            return new TenantResolution(fromDirectory, TenantSource.DIRECTORY, fromDirectory, null);
        }
        return TenantResolution.NONE;
    }

    private String directoryTenant(String entityId) {
        if (entityId == null || entityId.isEmpty()) {
            return null;
        }
        return directory.tenantOfEntity(entityId).filter(t -> !t.isBlank()).orElse(null);
    }

    private String tokenTenant(Auth auth) {
        String t = auth.metadata().get(metadataKey);
        return t == null || t.isBlank() ? null : t;
    }

    /** The tenant named by a path, or null. */
    public String pathTenant(String path) {
        if (path == null) {
            return null;
        }
        Matcher m = pathPattern.matcher(path);
        return m.find() ? m.group("tenant") : null;
    }
}
