package io.auditrail.reports.console;

/** A request the console itself turns down (no session, a missing CSRF token, a foreign Origin): a status and why. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final Outcome outcome;

    Refusal(int status, Outcome outcome, String reason) {
        super(reason);
        this.status = status;
        this.outcome = outcome;
    }

    int status() {
        return status;
    }

    Outcome outcome() {
        return outcome;
    }
}
