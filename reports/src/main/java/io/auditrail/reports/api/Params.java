package io.auditrail.reports.api;

import io.auditrail.reports.query.InvalidParameter;
import io.auditrail.reports.query.ParameterChecks;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of one call, checked before any handler runs: only the route's known names, each at most
 * once (a misspelt filter must not silently widen a search, and a repeated one must not mean two things), then
 * typed on demand with a 400 that names the parameter.
 */
final class Params {
    private final Map<String, List<String>> query;

    Params(Map<String, List<String>> query, Set<String> known) {
        ParameterChecks.knownOnce(query, known);
        this.query = query;
    }

    static Params of(Context ctx, Set<String> known) {
        return new Params(ctx.queryParamMap(), known);
    }

    /** The value, or null when absent. */
    String text(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** An RFC 3339 time with an offset ({@code Z} or {@code +02:00}, the plus URL-encoded as {@code %2B}). */
    Instant instant(String name) {
        return instant(name, text(name));
    }

    static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameter(name, "not an RFC 3339 time such as 2026-11-28T14:00:00Z"
                    + (value.contains(" ") ? " (a '+' in a URL must be written %2B)" : ""));
        }
    }

    /** A whole number in [min, max], {@code fallback} when absent. */
    int integer(String name, int min, int max, int fallback) {
        return ParameterChecks.wholeNumber(name, text(name), min, max, fallback);
    }
}
