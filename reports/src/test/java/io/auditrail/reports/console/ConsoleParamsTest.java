package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.reports.query.InvalidParameter;
import io.auditrail.reports.query.ParameterChecks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsoleParamsTest {
    @Test
    void emptyFieldsAreAbsentBecauseBrowsersSendEveryField() {
        ConsoleParams p = new ConsoleParams(Map.of("actor", List.of(""), "limit", List.of("")),
                Set.of("actor", "limit"));
        assertThat(p.text("actor")).isNull();
        assertThat(p.integer("limit", 1, 1000, 100)).isEqualTo(100);
    }

    @Test
    void unknownAndRepeatedNamesAreRefused() {
        assertThatThrownBy(() -> new ConsoleParams(Map.of("tenat", List.of("a")), Set.of("tenant")))
                .isInstanceOf(InvalidParameter.class).hasMessageContaining("unknown parameter");
        assertThatThrownBy(() -> new ConsoleParams(Map.of("tenant", List.of("a", "b")), Set.of("tenant")))
                .isInstanceOf(InvalidParameter.class).hasMessageContaining("more than once");
    }

    @Test
    void timesAreRfc3339OrUtcDatesAndDateTimes() {
        assertThat(ConsoleParams.instant("from", "2026-11-28T14:00:00+02:00"))
                .isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
        assertThat(ConsoleParams.instant("from", " 2026-11-28T14:00 ")).isEqualTo(Instant.parse("2026-11-28T14:00:00Z"));
        assertThat(ConsoleParams.instant("from", "2026-11-28")).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(ConsoleParams.instant("from", "")).isNull();
        assertThatThrownBy(() -> ConsoleParams.instant("from", "<script>"))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("from: not a time");
    }

    @Test
    void limitsAndIdsAreChecked() {
        ConsoleParams p = new ConsoleParams(Map.of("limit", List.of("0")), Set.of("limit"));
        assertThatThrownBy(() -> p.integer("limit", 1, 1000, 100)).isInstanceOf(InvalidParameter.class);
        assertThatThrownBy(() -> ParameterChecks.uuid("event_id", "1-1-1-1-1")).isInstanceOf(InvalidParameter.class);
        assertThat(ParameterChecks.printable("a\u0000b")).isEqualTo("a?b");
    }
}
