package io.auditrail.reports.api;

/** A refusal decided by the HTTP layer itself (no or a bad token, an unknown parameter, a body that is not JSON). */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final CallOutcome outcome;

    ApiError(int status, CallOutcome outcome, String reason) {
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
