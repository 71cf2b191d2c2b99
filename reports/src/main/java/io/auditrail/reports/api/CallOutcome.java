package io.auditrail.reports.api;

import java.util.Locale;

/** How an API call ended, as {@code meta_audit.outcome} and the metric tag name it. */
public enum CallOutcome {
    OK, DENIED, UNAUTHENTICATED, BAD_REQUEST, NOT_FOUND, ERROR, THROTTLED;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
