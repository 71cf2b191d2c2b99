package io.auditrail.reports.console;

import io.auditrail.reports.api.CallOutcome;

/** A request the console itself turns down (no session, a missing CSRF token, a foreign Origin): a status and why. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final CallOutcome outcome;

    Refusal(int status, CallOutcome outcome, String reason) {
        super(reason);
        this.status = status;
        this.outcome = outcome;
    }

    int status() {
        return status;
    }

    CallOutcome outcome() {
        return outcome;
    }
}
