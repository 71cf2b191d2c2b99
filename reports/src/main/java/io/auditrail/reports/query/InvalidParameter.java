package io.auditrail.reports.query;

/** A parameter the caller gave is malformed or out of range; the message names it and says why (HTTP 400). */
public final class InvalidParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    public InvalidParameter(String parameter, String reason) {
        super(parameter + ": " + reason);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
