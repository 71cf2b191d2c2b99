package io.auditrail.simulator;

import java.time.Instant;

/**
 * The request line that makes a planted anomaly fire (the 10th denial of a burst, the cross-tenant read, ...),
 * and when it was written whole: the start of anomaly-to-alert latency.
 */
public record PlantedSend(String rule, String requestId, int node, Instant sentAt) {
}
