package io.auditrail.reports.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import io.auditrail.core.testing.MovingClock;
import org.junit.jupiter.api.Test;

class RefusalBudgetTest {
    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-28T12:00:00Z"));
    private final RefusalBudget budget = new RefusalBudget(3, clock);

    @Test
    void anAddressSpendsItsBudgetThenIsCountedNotRecorded() {
        for (int i = 0; i < 3; i++) {
            assertThat(budget.admit("10.0.0.9", "GET", "/r")).isEmpty();
        }
        assertThat(budget.admit("10.0.0.9", "GET", "/r")).hasValue(20); // one refusal back in 60 s / 3
        assertThat(budget.admit("10.0.0.9", "POST", "/sign-in")).isPresent();
        // another address has its own budget
        assertThat(budget.admit("10.0.0.10", "GET", "/r")).isEmpty();
        clock.set(clock.instant().plus(Duration.ofSeconds(20)));
        assertThat(budget.admit("10.0.0.9", "GET", "/r")).isEmpty();
        assertThat(budget.admit("10.0.0.9", "GET", "/r")).isPresent();

        var drained = budget.drain();
        assertThat(drained).extracting(RefusalBudget.Suppressed::route, RefusalBudget.Suppressed::calls,
                RefusalBudget.Suppressed::addresses).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/r", 2L, 1), org.assertj.core.groups.Tuple.tuple("/sign-in", 1L, 1));
        assertThat(budget.drain()).isEmpty();
    }

    @Test
    void aTokensRefusalsAreCountedPerTokenWithItsTenants() {
        var token = new io.auditrail.reports.token.Principal("tok_a", io.auditrail.reports.token.Role.AUDITOR,
                java.util.Set.of("acme"));
        for (int i = 0; i < 5; i++) {
            budget.admit(token, java.util.List.of("acme"), "GET", "/r");
        }
        budget.admit("10.0.0.9", "GET", "/r"); // an anonymous caller's budget is its own
        assertThat(budget.drain()).singleElement().satisfies(s -> {
            assertThat(s.principal()).isEqualTo(token);
            assertThat(s.tenantIds()).containsExactly("acme");
            assertThat(s.calls()).isEqualTo(2);
        });
    }

    @Test
    void idleAddressesAreForgottenAndTheTrackedSetIsBounded() {
        budget.admit("10.0.0.1", "GET", "/r");
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        budget.drain();
        assertThat(budget.tracked()).isZero();
        for (int i = 0; i < RefusalBudget.MAX_ADDRESSES + 50; i++) {
            budget.admit("addr-" + i, "GET", "/r");
        }
        assertThat(budget.tracked()).isEqualTo(RefusalBudget.MAX_ADDRESSES + 1); // the rest share one bucket
        assertThat(budget.admit("addr-new", "GET", "/r")).isPresent();
    }
}
