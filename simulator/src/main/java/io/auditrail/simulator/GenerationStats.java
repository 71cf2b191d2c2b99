package io.auditrail.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * What a generator has produced so far.
 *
 * @param lines     lines produced
 * @param requests  request entries
 * @param responses response entries
 * @param byKind    requests by what they do ({@code kv-read}, ...)
 * @param byTenant  lines by the tenant they resolve to ({@code -} for none)
 * @param planted   anomalies planted completely, per rule id (every rule listed, 0 included)
 * @param firstTime event time of the first line, null before any
 * @param lastTime  event time of the last line
 */
public record GenerationStats(long lines, long requests, long responses, Map<String, Long> byKind,
                              Map<String, Long> byTenant, Map<String, Integer> planted, Instant firstTime,
                              Instant lastTime) {
    public GenerationStats {
        byKind = Map.copyOf(byKind);
        byTenant = Map.copyOf(byTenant);
        planted = Map.copyOf(planted);
    }
}
