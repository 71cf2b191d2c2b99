package io.auditrail.app;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code --from}/{@code --to} value: an RFC 3339 time, or a date meaning its start in UTC. */
public final class TimeArgument implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is neither an RFC 3339 time (2026-11-01T10:00:00Z) "
                    + "nor a date (2026-11-01)");
        }
    }
}
