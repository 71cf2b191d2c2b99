package io.auditrail.reports.query;

import java.time.Instant;
import java.util.List;

/** Event counts of one tenant over [{@code from}, {@code to}): in all, by operation, by outcome and by UTC day. */
public record TenantSummary(String tenant, Instant from, Instant to, long total, List<Count> byOperation,
                            List<Count> byOutcome, List<Count> byDay) {
    public TenantSummary {
        byOperation = List.copyOf(byOperation);
        byOutcome = List.copyOf(byOutcome);
        byDay = List.copyOf(byDay);
    }

    /** How many events have a value; {@code value} is null for events without one (e.g. no operation). */
    public record Count(String value, long count) {
    }
}
