package io.auditrail.reports.token;

import java.util.Locale;

/** What a token may do: {@code admin} and {@code compliance} see every tenant, {@code auditor} only its own. */
public enum Role {
    ADMIN, COMPLIANCE, AUDITOR;

    /** The name stored in {@code api_token.role} and shown in the API. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the role is scoped to named tenants. */
    public boolean tenantScoped() {
        return switch (this) {
            case ADMIN, COMPLIANCE -> false;
            case AUDITOR -> true;
        };
    }

    public static Role parse(String name) {
        for (Role r : values()) {
            if (r.dbName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "' (admin, compliance or auditor)");
    }
}
