package io.auditrail.reports.token;

/**
 * The rules for a tenant id given by a caller or an operator: 1 to 128 characters, no control characters (PostgreSQL
 * text refuses U+0000, and the others only hide what a value is), and not {@code -}, which names the platform.
 */
public final class TenantName {
    public static final int MAX_LENGTH = 128;
    /** The topic key of platform events (no tenant); in the API it names them where a tenant is expected. */
    public static final String PLATFORM = "-";

    private TenantName() {
    }

    /** The tenant id, or an {@link IllegalArgumentException} saying what is wrong with it. */
    public static String check(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("tenant must not be empty");
        }
        if (tenant.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("tenant is longer than " + MAX_LENGTH + " characters");
        }
        if (tenant.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("tenant contains a control character");
        }
        if (PLATFORM.equals(tenant)) {
            throw new IllegalArgumentException("'-' names platform events, not a tenant");
        }
        return tenant;
    }
}
