package io.auditrail.reports.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkLimitsTest {
    private final WorkLimits limits = new WorkLimits(Map.of(WorkKind.PACK, new WorkLimits.Bound(1, 2),
            WorkKind.SUMMARY, new WorkLimits.Bound(2, 3), WorkKind.SEARCH, new WorkLimits.Bound(4, 16)));

    @Test
    void aTokenGetsItsShareAndNoMore() {
        WorkLimits.Permit first = limits.enter(WorkKind.PACK, "tok_a");
        assertThatThrownBy(() -> limits.enter(WorkKind.PACK, "tok_a")).isInstanceOf(Throttled.class)
                .hasMessageContaining("reports.limit.pack.per.token")
                .satisfies(e -> assertThat(((Throttled) e).retryAfterSeconds()).isBetween(1L, 120L));
        // another kind of work is another bound
        limits.enter(WorkKind.SEARCH, "tok_a").close();
        first.close();
        first.close(); // twice releases once
        limits.enter(WorkKind.PACK, "tok_a").close();
        assertThat(limits.running(WorkKind.PACK)).isZero();
    }

    @Test
    void theServersTotalBoundsEveryTokenTogether() {
        WorkLimits.Permit a = limits.enter(WorkKind.SUMMARY, "tok_a");
        WorkLimits.Permit b = limits.enter(WorkKind.SUMMARY, "tok_b");
        WorkLimits.Permit c = limits.enter(WorkKind.SUMMARY, "tok_c");
        assertThatThrownBy(() -> limits.enter(WorkKind.SUMMARY, "tok_d")).isInstanceOf(Throttled.class)
                .hasMessageContaining("reports.limit.summary.total");
        // a refusal by the total gives the token's own slot back
        b.close();
        WorkLimits.Permit d = limits.enter(WorkKind.SUMMARY, "tok_d");
        assertThat(limits.running(WorkKind.SUMMARY)).isEqualTo(3);
        for (WorkLimits.Permit p : new WorkLimits.Permit[] {a, c, d}) {
            p.close();
        }
        limits.enter(WorkKind.SUMMARY, "tok_d").close();
        limits.enter(WorkKind.SUMMARY, "tok_d").close();
    }
}
