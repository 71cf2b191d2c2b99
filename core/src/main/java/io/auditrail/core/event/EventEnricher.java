package io.auditrail.core.event;

import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.entry.Auth;
import io.auditrail.core.entry.Namespace;
import io.auditrail.core.entry.Request;
import io.auditrail.core.tenant.SecretPath;
import io.auditrail.core.tenant.TenantResolution;
import io.auditrail.core.tenant.TenantResolver;
import java.util.Set;

/** Turns a parsed entry into the enriched event: id, tenant, normalised secret path, outcome, actor. */
public final class EventEnricher {
    private final TenantResolver tenants;
    private final SecretPath secretPath;

    public EventEnricher(TenantResolver tenants, SecretPath secretPath) {
        this.tenants = tenants;
        this.secretPath = secretPath;
    }

    public static EventEnricher defaults() {
        return new EventEnricher(TenantResolver.defaults(), new SecretPath(Set.of("secret/")));
    }

    public EventEnricher withTenants(TenantResolver resolver) {
        return new EventEnricher(resolver, secretPath);
    }

    /** @param line the bytes the entry was parsed from (they name entries that carry no request id) */
    public AuditEvent enrich(AuditEntry entry, byte[] line) {
        return enrich(entry, line, 0, line.length);
    }

    public AuditEvent enrich(AuditEntry entry, byte[] line, int off, int len) {
        Request req = entry.request();
        Auth auth = entry.auth();
        TenantResolution tenant = tenants.resolve(entry);
        String mountPoint = req.mountPoint() != null ? req.mountPoint()
                : entry.response() != null ? entry.response().mountPoint() : null;
        String mountType = req.mountType() != null ? req.mountType()
                : entry.response() != null ? entry.response().mountType() : null;
        Actor actor = new Actor(auth.entityId(), auth.displayName(), auth.allPolicies(), auth.tokenType(),
                auth.tokenTtl(), RawLoggingCheck.isHashed(auth.accessor()) ? auth.accessor() : null,
                req.remoteAddress(), req.remotePort());
        Auth issued = entry.response() != null ? entry.response().auth() : null;
        return new AuditEvent(
                AuditEvent.SCHEMA_VERSION,
                EventId.of(entry, line, off, len),
                req.id(),
                entry.type(),
                entry.time(),
                tenant.tenantId(),
                tenant.source(),
                tenant.actorTenantId(),
                tenant.pathTenantId(),
                req.operation(),
                req.path(),
                secretPath.normalise(req.path(), mountPoint, mountType),
                mountType,
                mountPoint,
                namespace(req.namespace()),
                Outcome.of(entry.error()),
                entry.error(),
                actor,
                issued == null ? null : issued.tokenTtl(),
                entry.forwardedFrom(),
                RawLoggingCheck.unhashedFields(entry),
                null);
    }

    private static String namespace(Namespace ns) {
        if (ns == null) {
            return null;
        }
        if (ns.path() != null && !ns.path().isEmpty()) {
            return ns.path();
        }
        return ns.id();
    }
}
