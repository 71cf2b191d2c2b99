package io.auditrail.archive;

import java.time.Instant;
import java.util.List;

/**
 * What verify found for a period.
 *
 * @param digests   digests created in the period that were checked
 * @param objects   objects those digests list (each fetched and hashed)
 * @param lines     lines in those objects, as the digests state them
 * @param chainHead the latest digest checked, null when there was none
 */
public record VerifyReport(Instant from, Instant to, int digests, int objects, long lines, String chainHead,
                           List<Problem> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }
}
