package io.auditrail.reports.evidence;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What makes a request a privileged change: a write (create, update, delete, patch) to one of these paths, denied
 * attempts included. The list and its reasons are in docs/EVIDENCE.md; the order matters (first match wins).
 */
public enum PrivilegedCategory {
    AUDIT_DEVICE(List.of("sys/audit/", "sys/audit-hash/")),
    POLICY(List.of("sys/policy/", "sys/policies/")),
    AUTH_METHOD(List.of("sys/auth/")),
    SECRETS_ENGINE(List.of("sys/mounts/", "sys/remount")),
    SEAL_AND_CLUSTER(List.of("sys/seal", "sys/unseal", "sys/step-down", "sys/storage/raft/", "sys/generate-root/",
            "sys/rekey/", "sys/rotate", "sys/replication/", "sys/license")),
    TOKEN_CREATION(List.of("auth/token/create")),
    TOKEN_REVOCATION(List.of("auth/token/revoke", "sys/leases/revoke")),
    TOKEN_ROLE(List.of("auth/token/roles/")),
    AUTH_USERS_AND_ROLES(List.of()), // auth/<mount>/(users|role|roles|groups|certs|map)/..., matched below
    IDENTITY(List.of("identity/")),
    OTHER_SYSTEM(List.of("sys/"));

    /** The write operations; reads, lists and help are not changes. */
    public static final Set<String> WRITE_OPERATIONS = Set.of("create", "update", "delete", "patch");

    /**
     * Writes under sys/ and auth/ that are routine client traffic, not configuration: token and lease renewal and
     * lookups, wrapping, tools, capability checks, the UI's internal endpoints, Vault's audit enable probe.
     */
    static final List<String> ROUTINE_PREFIXES = List.of("sys/leases/renew", "sys/leases/lookup", "sys/renew",
            "sys/wrapping/", "sys/tools/", "sys/capabilities", "sys/internal/", "sys/audit/test",
            "sys/control-group/request", "auth/token/renew", "auth/token/lookup");

    private static final Set<String> AUTH_ADMIN_SEGMENTS = Set.of("users", "user", "role", "roles", "groups",
            "group", "certs", "map", "config");

    private final List<String> prefixes;

    PrivilegedCategory(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    /** The name in JSON and CSV: {@code audit_device}, {@code token_creation}, ... */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<String> prefixes() {
        return prefixes;
    }

    /** The category of a request, or empty when it is not a privileged change. */
    public static Optional<PrivilegedCategory> of(String path, String operation) {
        if (path == null || operation == null || !WRITE_OPERATIONS.contains(operation)) {
            return Optional.empty();
        }
        for (String routine : ROUTINE_PREFIXES) {
            if (path.startsWith(routine)) {
                return Optional.empty();
            }
        }
        for (PrivilegedCategory c : values()) {
            if (c == AUTH_USERS_AND_ROLES) {
                if (isAuthAdministration(path)) {
                    return Optional.of(c);
                }
                continue;
            }
            for (String prefix : c.prefixes) {
                if (path.startsWith(prefix)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /** auth/<mount>/users/alice and the like: users, roles and mappings of an auth method (not logins). */
    private static boolean isAuthAdministration(String path) {
        if (!path.startsWith("auth/")) {
            return false;
        }
        String[] segments = path.split("/", 4);
        return segments.length >= 3 && !"token".equals(segments[1]) && AUTH_ADMIN_SEGMENTS.contains(segments[2]);
    }
}
