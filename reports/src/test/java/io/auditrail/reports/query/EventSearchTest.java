package io.auditrail.reports.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventSearchTest {
    private static EventSearch with(String tenant, String operation, String pathPrefix, String actor, String outcome,
                                    int limit) {
        return new EventSearch(tenant, null, null, operation, pathPrefix, actor, outcome, limit, null);
    }

    @Test
    void quotesWildcardsAndUnicodeAreJustData() {
        EventSearch s = with("acme", "' OR 1=1 --", "%_'\\", "ünï©ødé 漢字 🚀", null, 1);
        assertThat(s.pathPrefix()).isEqualTo("%_'\\");
        assertThat(TextParameter.likePrefix("a%b_c\\d")).isEqualTo("a\\%b\\_c\\\\d%");
        assertThat(TextParameter.likePrefix("")).isEqualTo("%");
    }

    @Test
    void refusesWhatCannotBeAFilter() {
        assertThatThrownBy(() -> with("acme", null, "x".repeat(1025), null, null, 1))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("path_prefix:");
        assertThatThrownBy(() -> with("acme", null, null, "a\u0000b", null, 1))
                .isInstanceOf(InvalidParameter.class).hasMessage("actor: contains a control character");
        assertThatThrownBy(() -> with("acme", "", null, null, null, 1))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("operation:");
        assertThatThrownBy(() -> with("acme", null, null, null, "maybe", 1))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("outcome: must be one of");
        assertThatThrownBy(() -> with("acme", null, null, null, null, 0))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("limit:");
        assertThatThrownBy(() -> with("acme", null, null, null, null, 1001))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("limit:");
        assertThatThrownBy(() -> with("t".repeat(129), null, null, null, null, 1))
                .isInstanceOf(InvalidParameter.class).hasMessageStartingWith("tenant:");
        Instant t = Instant.parse("2026-11-28T00:00:00Z");
        assertThatThrownBy(() -> new EventSearch("acme", t, t, null, null, null, null, 1, null))
                .isInstanceOf(InvalidParameter.class).hasMessage("from: must be before to");
    }

    @Test
    void theDashNamesPlatformEvents() {
        assertThat(with("-", null, null, null, null, 1).tenant()).isEqualTo("-");
    }
}
