package io.auditrail.core.entry;

import java.time.Instant;
import java.util.Map;

/**
 * One Vault audit entry as Vault wrote it, parsed by field name. {@code type} is {@code request},
 * {@code response} or another kind such as {@code kmip-request}; {@code auth} and {@code request} are
 * never null (empty when the line had none), {@code response} is null on request entries.
 */
public record AuditEntry(
        Instant time,
        String type,
        Auth auth,
        Request request,
        Response response,
        String error,
        String forwardedFrom,
        Boolean forwarded,
        Map<String, RawJson> unknown) {

    public static final String REQUEST = "request";
    public static final String RESPONSE = "response";

    public AuditEntry {
        unknown = unknown == null ? Map.of() : Map.copyOf(unknown);
    }

    public boolean isResponse() {
        return type.endsWith(RESPONSE);
    }

    public boolean hasError() {
        return error != null && !error.isEmpty();
    }
}
