package io.auditrail.index;

/** A record that can never become a row: it goes to the dead-letter topic with this failure and reason. */
public final class RowRejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final IndexFailure failure;

    /** @param reason one human line; never the record's content */
    public RowRejected(IndexFailure failure, String reason) {
        super(reason, null, false, false);
        this.failure = failure;
    }

    public IndexFailure failure() {
        return failure;
    }
}
