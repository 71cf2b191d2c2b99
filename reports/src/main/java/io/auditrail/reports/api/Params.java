package io.auditrail.reports.api;

import io.auditrail.reports.query.InvalidParameter;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The query parameters of one call, checked before any handler runs: only the route's known names, each at most
 * once (a misspelt filter must not silently widen a search, and a repeated one must not mean two things), then
 * typed on demand with a 400 that names the parameter.
 */
final class Params {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Map<String, List<String>> query;

    Params(Map<String, List<String>> query, Set<String> known) {
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new InvalidParameter(printable(e.getKey()), "unknown parameter (known: "
                        + new TreeSet<>(known) + ")");
            }
            if (e.getValue().size() > 1) {
                throw new InvalidParameter(e.getKey(), "given more than once");
            }
        }
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
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the one message
        }
        throw new InvalidParameter(name, "must be a whole number from " + min + " to " + max);
    }

    /** A UUID in its canonical 36-character form ({@link UUID#fromString} alone accepts "1-1-1-1-1"). */
    static UUID uuid(String name, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw new InvalidParameter(name, "not a UUID");
        }
        return UUID.fromString(value);
    }

    /** A parameter name safe to echo in a reason: printable and short. */
    static String printable(String s) {
        return printable(s, 40);
    }

    /** {@code s} with control characters replaced by {@code ?}, cut to {@code max} characters (then "..."). */
    static String printable(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) + "..." : s;
        return cut.codePoints().map(ch -> Character.isISOControl(ch) ? '?' : ch)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
