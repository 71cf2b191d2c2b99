package io.auditrail.reports.token;

/** The token table could not be read or written (the database, not the caller, is at fault). */
public final class TokenStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokenStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
