package io.auditrail.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.auditrail.core.tenant.TenantSource;
import java.time.Instant;
import java.util.List;

/**
 * The enriched event: the value of {@code vault.audit.events} (schema in docs/EVENTS.md). Tokens and
 * secret values never appear here; {@code rawLogging} names the fields Vault logged unhashed.
 * {@code source} is set by the stage that read the line from Kafka, null elsewhere.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditEvent(
        int schema,
        String eventId,
        String requestId,
        String type,
        Instant time,
        String tenantId,
        TenantSource tenantSource,
        String actorTenantId,
        String pathTenantId,
        String operation,
        String path,
        String secretPath,
        String mountType,
        String mountPoint,
        String namespace,
        Outcome outcome,
        String error,
        Actor actor,
        Long issuedTokenTtl,
        String forwardedFrom,
        List<String> rawLogging,
        RawPosition source) {

    public static final int SCHEMA_VERSION = 1;

    public AuditEvent {
        rawLogging = rawLogging == null ? List.of() : List.copyOf(rawLogging);
    }

    public AuditEvent withSource(RawPosition position) {
        return new AuditEvent(schema, eventId, requestId, type, time, tenantId, tenantSource, actorTenantId,
                pathTenantId, operation, path, secretPath, mountType, mountPoint, namespace, outcome, error, actor,
                issuedTokenTtl, forwardedFrom, rawLogging, position);
    }
}
