package io.auditrail.reports.limit;

import java.time.Duration;
import java.util.Locale;

/**
 * The kinds of expensive work the API and console bound separately, each with its own concurrency per token and in
 * all: a pack must not wait behind searches, nor a flood of packs take the connections searches need.
 */
public enum WorkKind {
    /** Evidence packs and archive verification: many statements on one connection, every archived object read. */
    PACK(Duration.ofSeconds(10)),
    /** Tenant summaries: an aggregate over every event of the window. */
    SUMMARY(Duration.ofSeconds(2)),
    /** Event searches and lookups, raw lines, anomaly lists, dispositions: one bounded statement each. */
    SEARCH(Duration.ofSeconds(1));

    private final Duration typical;

    WorkKind(Duration typical) {
        this.typical = typical;
    }

    /** What a call of this kind is assumed to take before any was measured (the first Retry-After). */
    Duration typical() {
        return typical;
    }

    /** The name in settings ({@code reports.limit.<name>.*}) and metric tags. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
