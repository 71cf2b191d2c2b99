package io.auditrail.alerts;

import java.util.Locale;

/** The recorded end of one (anomaly, revision, target): the {@code status} column of {@code alert_delivery}. */
public enum DeliveryStatus {
    /** The target answered 2xx. */
    DELIVERED,
    /** Not delivered, with the reason in {@code last_error}: refused (4xx), past the deadline, or the queue full. */
    GAVE_UP,
    /** Folded by the throttle into the alert already sent for the same rule and actor. */
    THROTTLED,
    /** Seen only in a replay from the archive, which never alerts; a later live delivery replaces the row. */
    SKIPPED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
