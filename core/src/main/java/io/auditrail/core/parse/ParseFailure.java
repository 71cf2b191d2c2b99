package io.auditrail.core.parse;

/** Why a line is not an audit entry. The name travels as the DLQ reason header and a metric tag. */
public enum ParseFailure {
    /** Nothing but whitespace. */
    EMPTY,
    /** The configured socket-device prefix is missing, or other bytes stand before the JSON. */
    BAD_PREFIX,
    /** Not well-formed JSON: truncated at a connection close, binary, or cut by a line limit. */
    NOT_JSON,
    /** Well-formed JSON, but not an object. */
    NOT_AN_OBJECT,
    /** Bytes after the closing brace of the entry. */
    TRAILING_DATA,
    /** Invalid UTF-8. */
    NOT_UTF8,
    /** No {@code type} field. */
    MISSING_TYPE,
    /** No {@code time} field. */
    MISSING_TIME,
    /** {@code time} or {@code token_issue_time} is not an RFC 3339 timestamp. */
    BAD_TIME,
    /** A known field has the wrong JSON type (an object where a string belongs, say). */
    BAD_FIELD_TYPE,
    /** Longer than the configured maximum line length. */
    OVERSIZE
}
