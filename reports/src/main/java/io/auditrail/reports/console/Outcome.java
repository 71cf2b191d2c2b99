package io.auditrail.reports.console;

import java.util.Locale;

/** How a console request ended, as {@code meta_audit.outcome} names it (the API's outcomes, same check constraint). */
enum Outcome {
    OK, DENIED, UNAUTHENTICATED, BAD_REQUEST, NOT_FOUND, ERROR;

    String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
