package io.auditrail.reports.limit;

/** A call refused because too many of its kind run already (429): the caller may retry after the hint. */
public final class Throttled extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;

    public Throttled(String reason, long retryAfterSeconds) {
        super(reason);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The {@code Retry-After} value: whole seconds, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
