package io.auditrail.reports.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.reports.query.InvalidParameter;
import io.auditrail.reports.query.ParameterChecks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ParamsTest {
    private static Params params(Map<String, List<String>> query) {
        return new Params(query, Set.of("from", "limit"));
    }

    @Test
    void timesAreRfc3339WithAnOffsetAndComeOutUtc() {
        assertThat(params(Map.of("from", List.of("2026-11-28T16:00:00+02:00"))).instant("from"))
                .isEqualTo(Instant.parse("2026-11-28T14:00:00Z"));
        assertThat(params(Map.of("from", List.of("2026-11-28T14:00:00.123456Z"))).instant("from"))
                .isEqualTo(Instant.parse("2026-11-28T14:00:00.123456Z"));
        assertThat(params(Map.of()).instant("from")).isNull();
        for (String bad : new String[] {"yesterday", "2026-11-28", "2026-11-28T14:00:00", "1732800000",
                "2026-13-01T00:00:00Z"}) {
            assertThatThrownBy(() -> params(Map.of("from", List.of(bad))).instant("from")).as(bad)
                    .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("from: not an RFC 3339 time");
        }
        // an unencoded '+' arrives as a space: the reason says so
        assertThatThrownBy(() -> params(Map.of("from", List.of("2026-11-28T16:00:00 02:00"))).instant("from"))
                .hasMessageContaining("%2B");
    }

    @Test
    void limitsAreWholeNumbersInRange() {
        assertThat(params(Map.of()).integer("limit", 1, 1000, 100)).isEqualTo(100);
        assertThat(params(Map.of("limit", List.of("1000"))).integer("limit", 1, 1000, 100)).isEqualTo(1000);
        for (String bad : new String[] {"-1", "0", "1001", "abc", "1e3", "99999999999", " 5"}) {
            assertThatThrownBy(() -> params(Map.of("limit", List.of(bad))).integer("limit", 1, 1000, 100)).as(bad)
                    .isInstanceOf(InvalidParameter.class)
                    .hasMessage("limit: must be a whole number from 1 to 1000");
        }
    }

    @Test
    void unknownAndRepeatedParametersAreRefused() {
        assertThatThrownBy(() -> params(Map.of("path-prefix", List.of("x"))))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("path-prefix: unknown parameter");
        assertThatThrownBy(() -> params(Map.of("limit", List.of("1", "2"))))
                .isInstanceOf(InvalidParameter.class).hasMessage("limit: given more than once");
    }

    @Test
    void uuidsMustBeCanonical() {
        UUID id = UUID.randomUUID();
        assertThat(ParameterChecks.uuid("event_id", id.toString())).isEqualTo(id);
        assertThat(ParameterChecks.uuid("event_id", id.toString().toUpperCase())).isEqualTo(id);
        for (String bad : new String[] {"1-1-1-1-1", "' OR 1=1 --", "", id + "0", id.toString().replace("-", "")}) {
            assertThatThrownBy(() -> ParameterChecks.uuid("event_id", bad)).as(bad).isInstanceOf(InvalidParameter.class)
                    .hasMessage("event_id: not a UUID");
        }
    }

    @Test
    void echoedNamesArePrintableAndShort() {
        assertThat(ParameterChecks.printable("a\u0000b\nc")).isEqualTo("a?b?c");
        assertThat(ParameterChecks.printable("x".repeat(100))).hasSize(43);
        assertThat(ParameterChecks.printable("y".repeat(300), 300)).hasSize(300);
    }
}
