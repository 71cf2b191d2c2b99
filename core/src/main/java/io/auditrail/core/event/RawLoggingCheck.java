package io.auditrail.core.event;

import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.entry.Auth;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds tokens and accessors Vault logged unhashed ({@code log_raw}, {@code hmac_accessor=false}, or
 * the HCSEC-2024-18 regression in 1.17.3 to 1.17.4). Returns field names only, never values.
 */
public final class RawLoggingCheck {
    public static final String HMAC_PREFIX = "hmac-sha256:";

    private RawLoggingCheck() {
    }

    public static List<String> unhashedFields(AuditEntry entry) {
        List<String> found = null;
        found = check(found, "auth.client_token", entry.auth().clientToken());
        found = check(found, "auth.accessor", entry.auth().accessor());
        found = check(found, "request.client_token", entry.request().clientToken());
        found = check(found, "request.client_token_accessor", entry.request().clientTokenAccessor());
        if (entry.response() != null) {
            Auth auth = entry.response().auth();
            if (auth != null) {
                found = check(found, "response.auth.client_token", auth.clientToken());
                found = check(found, "response.auth.accessor", auth.accessor());
            }
            if (entry.response().wrapInfo() != null) {
                found = check(found, "response.wrap_info.token", entry.response().wrapInfo().token());
                found = check(found, "response.wrap_info.accessor", entry.response().wrapInfo().accessor());
                found = check(found, "response.wrap_info.wrapped_accessor",
                        entry.response().wrapInfo().wrappedAccessor());
            }
        }
        return found == null ? List.of() : found;
    }

    public static boolean isHashed(String value) {
        return value == null || value.isEmpty() || value.startsWith(HMAC_PREFIX);
    }

    private static List<String> check(List<String> found, String field, String value) {
        if (isHashed(value)) {
            return found;
        }
        List<String> out = found == null ? new ArrayList<>(2) : found;
        out.add(field);
        return out;
    }
}
