package io.auditrail.reports.query;

/** What was asked for does not exist (or, for the raw line, is not in the archive). */
public final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFound(String reason) {
        super(reason);
    }
}
