package io.auditrail.reports.console;

import io.auditrail.reports.query.InvalidParameter;
import io.auditrail.reports.query.ParameterChecks;
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

/**
 * The query or form fields of one console request. As in the API, only the page's known names, each at most once
 * (a misspelt filter must not silently widen a search). Unlike the API, an empty field means "not given": a browser
 * sends every field of a form, filled or not. Times may be RFC 3339, or a date or date-time without an offset, which
 * is read as UTC (what a person types).
 */
final class ConsoleParams {
    private final Map<String, List<String>> values;

    ConsoleParams(Map<String, List<String>> values, Set<String> known) {
        ParameterChecks.knownOnce(values, known);
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

    /** A whole number in [min, max], {@code fallback} when empty or absent; surrounding blanks are ignored. */
    int integer(String name, int min, int max, int fallback) {
        String v = text(name);
        return ParameterChecks.wholeNumber(name, v == null ? null : v.strip(), min, max, fallback);
    }
}
