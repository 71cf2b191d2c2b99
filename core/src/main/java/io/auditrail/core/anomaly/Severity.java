package io.auditrail.core.anomaly;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How urgent an anomaly is. On the wire in lower case ({@code critical}); alerts map it to paging priority. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form, case-insensitively; throws {@link IllegalArgumentException} naming the bad value. */
    @JsonCreator
    public static Severity of(String text) {
        if (text != null) {
            for (Severity s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("not a severity (critical, high, medium, low): " + text);
    }
}
