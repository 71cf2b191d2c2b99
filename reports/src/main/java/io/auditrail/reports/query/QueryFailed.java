package io.auditrail.reports.query;

/** The database failed a query (HTTP 500); the cause stays in the log, never in a response. */
public final class QueryFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueryFailed(String what, Throwable cause) {
        super(what, cause);
    }
}
