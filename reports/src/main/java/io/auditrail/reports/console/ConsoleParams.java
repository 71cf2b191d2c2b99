package io.auditrail.reports.console;

import io.auditrail.reports.query.InvalidParameter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The query or form fields of one console request. As in the API, only the page's known names, each at most once
 * (a misspelt filter must not silently widen a search). Unlike the API, an empty field means "not given": a browser
 * sends every field of a form, filled or not. Times may be RFC 3339, or a date or date-time without an offset, which
 * is read as UTC (what a person types).
 */
final class ConsoleParams {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Map<String, List<String>> values;

    ConsoleParams(Map<String, List<String>> values, Set<String> known) {
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new InvalidParameter(printable(e.getKey()), "unknown parameter (known: " + new TreeSet<>(known)
                        + ")");
            }
            if (e.getValue().size() > 1) {
                throw new InvalidParameter(e.getKey(), "given more than once");
            }
        }
        this.values = values;
    }

    /** The value, or null when absent or empty. */
    String text(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    Instant instant(String name) {
        return instant(name, text(name));
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset: a local date-time or a date, in UTC
        }
        try {
            return LocalDateTime.parse(v, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // nor a date-time: a date
        }
        try {
            return LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameter(name, "not a time: write 2026-11-28T14:00:00Z, 2026-11-28T14:00 (UTC) or "
                    + "2026-11-28");
        }
    }

    int integer(String name, int min, int max, int fallback) {
        String v = text(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the one message below
        }
        throw new InvalidParameter(name, "must be a whole number from " + min + " to " + max);
    }

    /** A UUID in its canonical form ({@link UUID#fromString} alone accepts "1-1-1-1-1"). */
    static UUID uuid(String name, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw new InvalidParameter(name, "not a UUID");
        }
        return UUID.fromString(value);
    }

    /** {@code s} cut to 40 characters with control characters replaced: safe to echo in a reason. */
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
