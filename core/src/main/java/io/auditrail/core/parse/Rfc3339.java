package io.auditrail.core.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps as Vault writes them: {@code time} is UTC with 0 to 9 fractional digits
 * (Go trims trailing zeros), {@code token_issue_time} carries the server's local offset.
 * The fast path reads digits by hand because every entry has a time (java.time's formatter costs
 * about a microsecond); anything of another shape falls back to java.time's own parser.
 */
public final class Rfc3339 {
    private Rfc3339() {
    }

    /** Parses to an instant; throws DateTimeException when the text is not RFC 3339. */
    public static Instant instant(CharSequence s) {
        OffsetDateTime fast = fast(s);
        return fast != null ? fast.toInstant() : slow(s).toInstant();
    }

    /** Parses keeping the offset; throws DateTimeException when the text is not RFC 3339. */
    public static OffsetDateTime offsetDateTime(CharSequence s) {
        OffsetDateTime fast = fast(s);
        return fast != null ? fast : slow(s);
    }

    private static OffsetDateTime slow(CharSequence s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new DateTimeException("not an RFC 3339 timestamp: " + s, e);
        }
    }

    // yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+hh:mm|-hh:mm); null when the shape differs
    private static OffsetDateTime fast(CharSequence s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && Character.isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0) {
                // java.time would accept "10:00:00.Z"; RFC 3339 wants a digit after the point
                throw new DateTimeException("no digits after the decimal point: " + s);
            }
            if (i < n && Character.isDigit(s.charAt(i))) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || oh > 23 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(LocalDate.of(year, month, day), LocalTime.of(hour, minute, second, nanos),
                    offsetSeconds == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null; // e.g. February 30th: let the full parser produce the message
        }
    }

    private static int digits(CharSequence s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
