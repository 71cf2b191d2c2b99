package io.auditrail.streams.rules;

import io.auditrail.core.anomaly.Severity;
import java.util.Locale;

/** The detection rules (DESIGN.md, "Detection rules"), each with its wire name and default severity. */
public enum RuleName {
    CROSS_TENANT_ACCESS(Severity.CRITICAL, "A token's tenant differs from the tenant named in the path."),
    ROOT_TOKEN_USE(Severity.HIGH, "A request authenticated by a token carrying the root policy."),
    AUDIT_DEVICE_CHANGE(Severity.CRITICAL, "Write or delete on sys/audit/*, or any use of sys/audit-hash/*."),
    RAW_LOGGING_DETECTED(Severity.CRITICAL, "An entry holds a client token or accessor without the hmac-sha256: prefix."),
    POLICY_CHANGE(Severity.MEDIUM, "Write or delete on sys/policy/* or sys/policies/*."),
    AUTH_METHOD_CHANGE(Severity.HIGH, "Write or delete on sys/auth/*."),
    SEAL_OR_CLUSTER_CHANGE(Severity.HIGH, "sys/seal, sys/step-down, raft peer removal or snapshot restore."),
    PERMISSION_DENIED_BURST(Severity.HIGH, "At least N denied requests by one actor (or address) within a window."),
    LOGIN_FAILURE_BURST(Severity.HIGH, "At least N failed logins from one source address within a window."),
    READ_RATE_SPIKE(Severity.MEDIUM, "Reads per actor and tenant in a minute far above that actor's rolling baseline."),
    SECRET_ENUMERATION(Severity.MEDIUM, "At least N LIST requests by one actor within a window."),
    NEW_SOURCE_ADDRESS(Severity.LOW, "A known actor seen from an address it has not used in the lookback period."),
    OFF_HOURS_ACCESS(Severity.LOW, "A request outside the business hours of its tenant (tenant directory)."),
    LONG_LIVED_TOKEN(Severity.MEDIUM, "A token issued with a TTL above the threshold."),
    AUDIT_GAP(Severity.HIGH, "A request entry without its response after the pairing timeout.");

    private final Severity defaultSeverity;
    private final String doc;

    RuleName(Severity defaultSeverity, String doc) {
        this.defaultSeverity = defaultSeverity;
        this.doc = doc;
    }

    /** The name on the wire and in the rules file: {@code cross_tenant_access}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    public String doc() {
        return doc;
    }
}
