package io.auditrail.reports.query;

/**
 * The principal may not see what it asked for: another tenant's data, platform events, or an action its role does
 * not allow. {@code tenant} is the tenant asked for (null when none or the platform), for the meta-audit.
 */
public final class AccessDenied extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String tenant;

    public AccessDenied(String tenant, String reason) {
        super(reason);
        this.tenant = tenant;
    }

    public String tenant() {
        return tenant;
    }
}
