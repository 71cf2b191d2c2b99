package io.auditrail.index;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One day partition of {@code audit_event}: {@code audit_event_pYYYYMMDD}, holding events with
 * {@code day 00:00 UTC <= event_time < day+1 00:00 UTC}. Pure naming and date math; no database here.
 */
public record EventPartition(LocalDate day) {
    public static final String PARENT = "audit_event";
    private static final String PREFIX = PARENT + "_p";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{8})");
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

    public EventPartition {
        if (day.getYear() < 1000 || day.getYear() > 9999) {
            throw new IllegalArgumentException("no partition for year " + day.getYear());
        }
    }

    /** The partition an event time falls in (days are UTC days). */
    public static EventPartition of(Instant eventTime) {
        return new EventPartition(dayOf(eventTime));
    }

    public static LocalDate dayOf(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** The partition a table name denotes, if it is one of ours. */
    public static Optional<EventPartition> parse(String tableName) {
        Matcher m = NAME.matcher(tableName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EventPartition(LocalDate.parse(m.group(1), BASIC)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String tableName() {
        return PREFIX + day.format(BASIC);
    }

    /** Inclusive lower bound. */
    public Instant from() {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Exclusive upper bound. */
    public Instant to() {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
