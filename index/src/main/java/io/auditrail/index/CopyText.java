package io.auditrail.index;

import java.time.Instant;

/**
 * Builds COPY ... FROM STDIN rows in PostgreSQL's text format: tab-separated, {@code \N} for null, backslash,
 * tab, newline and carriage return escaped. Values never hold U+0000 (rows with it are rejected before).
 */
final class CopyText {
    private final StringBuilder out;
    private boolean first = true;

    CopyText(StringBuilder out) {
        this.out = out;
    }

    CopyText text(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return this;
    }

    CopyText number(Number value) {
        separator();
        out.append(value == null ? "\\N" : value.toString());
        return this;
    }

    /** ISO 8601 in UTC ({@code 2026-01-15T10:00:00.123456Z}), which timestamptz reads whatever the session zone. */
    CopyText time(Instant value) {
        separator();
        out.append(value == null ? "\\N" : value.toString());
        return this;
    }

    void endRow() {
        out.append('\n');
        first = true;
    }

    private void separator() {
        if (!first) {
            out.append('\t');
        }
        first = false;
    }
}
