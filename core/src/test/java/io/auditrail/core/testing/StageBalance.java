package io.auditrail.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.stage.StageRecords;
import io.auditrail.core.stage.StageRecords.Outcome;

/**
 * The one "nothing lost" check of every stage IT: each record the stage received ended as exactly one outcome
 * (sent, dlq, dropped, skipped, duplicate). Call it once the stage is idle; while records are on their way the
 * balance is positive, which is the point of the check.
 */
public final class StageBalance {
    private StageBalance() {
    }

    /** Received = every end a record can have, and nothing dropped. */
    public static void assertBalanced(StageRecords records) {
        assertThat(records.total(Outcome.DROPPED)).as("dropped").isZero();
        assertBalancedWithDrops(records);
    }

    /** Received = every end a record can have, drops included: for tests that cause drops on purpose. */
    public static void assertBalancedWithDrops(StageRecords records) {
        assertThat(records.unaccounted()).as("received - (sent + dlq + dropped + skipped + duplicate)").isZero();
    }
}
