package io.auditrail.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {
    /** The fast path must agree with java.time on every shape Vault writes, and on ones it does not. */
    @ParameterizedTest
    @ValueSource(strings = {"2020-12-01T20:29:04.36089379Z", "2020-05-28T13:40:18-05:00", "2026-11-28T10:00:00Z",
            "2026-11-28T10:00:00.1+05:30", "2024-02-29T23:59:59.999999999Z", "1999-12-31T23:59:59-00:00",
            "2026-11-28t10:00:00z", "2026-11-28T10:00:00.123+14:00"})
    void agreesWithJavaTime(String s) {
        OffsetDateTime expected = OffsetDateTime.parse(s.toUpperCase(java.util.Locale.ROOT));
        assertThat(Rfc3339.offsetDateTime(s)).isEqualTo(expected);
        assertThat(Rfc3339.instant(s)).isEqualTo(expected.toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T10:00:00", "2026-11-28",
            "2026-11-28T10:00:00.Z", "2026-11-28T10:00:00.1234567890Z", "2026-11-28T10:00:00+5:30", "now"})
    void refusesWhatIsNotRfc3339(String s) {
        assertThatThrownBy(() -> Rfc3339.instant(s)).isInstanceOf(DateTimeException.class);
    }
}
