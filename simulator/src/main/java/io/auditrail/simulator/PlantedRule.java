package io.auditrail.simulator;

import java.util.Locale;

/**
 * The detection rules the simulator can plant (DESIGN.md, "Detection rules"). The wire names are the rule ids of
 * the streams stage; a test checks the two lists stay equal, since this module does not depend on streams.
 */
public enum PlantedRule {
    CROSS_TENANT_ACCESS,
    ROOT_TOKEN_USE,
    AUDIT_DEVICE_CHANGE,
    RAW_LOGGING_DETECTED,
    POLICY_CHANGE,
    AUTH_METHOD_CHANGE,
    SEAL_OR_CLUSTER_CHANGE,
    PERMISSION_DENIED_BURST,
    LOGIN_FAILURE_BURST,
    READ_RATE_SPIKE,
    SECRET_ENUMERATION,
    NEW_SOURCE_ADDRESS,
    OFF_HOURS_ACCESS,
    LONG_LIVED_TOKEN,
    AUDIT_GAP;

    /** The rule id on the anomalies topic: {@code cross_tenant_access}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PlantedRule ofWire(String wire) {
        for (PlantedRule r : values()) {
            if (r.wire().equals(wire)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown rule '" + wire + "'");
    }
}
