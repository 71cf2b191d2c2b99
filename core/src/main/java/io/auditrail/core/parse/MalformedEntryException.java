package io.auditrail.core.parse;

/** A line that is not a Vault audit entry: what is wrong, where (byte offset in the line), and why. */
public final class MalformedEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ParseFailure failure;
    private final long byteOffset;

    public MalformedEntryException(ParseFailure failure, long byteOffset, String reason) {
        super(failure + " at byte " + byteOffset + ": " + reason, null, false, false);
        this.failure = failure;
        this.byteOffset = byteOffset;
    }

    public ParseFailure failure() {
        return failure;
    }

    /** Offset from the first byte of the line (prefix included), or -1 where no position applies. */
    public long byteOffset() {
        return byteOffset;
    }

    /** The reason without the failure name and offset, for a DLQ header. */
    public String reason() {
        String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }
}
