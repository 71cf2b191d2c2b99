package io.auditrail.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a simulation sent and what the pipeline should make of it.
 *
 * @param target            host:port written to
 * @param nodes             Vault nodes (connections)
 * @param elapsed           wall time of the run
 * @param linesGenerated    lines the generator produced
 * @param linesSent         lines written whole (each counted once, resent or not): what a receiver can count
 * @param linesFailed       lines lost: the write and its one resend both failed
 * @param requests          request entries generated
 * @param responses         response entries generated
 * @param byKind            requests by what they do
 * @param reconnects        connections re-opened after an error or a close by the receiver
 * @param resends           lines written again after a failed write
 * @param cuts              lines cut half-way by fault injection
 * @param expectedAnomalies distinct anomalies per rule id the streams stage should raise (default rules)
 * @param byTenant          lines per tenant ({@code -}: platform and login requests)
 * @param tenantDirectory   directory records the expected counts assume are published
 * @param firstEventTime    Vault {@code time} of the first line
 * @param lastEventTime     of the last line
 * @param plantsSent        when each planted anomaly's triggering request was written (for alert latency)
 * @param notes             where the run differs from its plan
 */
public record SimulationReport(String target, int nodes, Duration elapsed, long linesGenerated, long linesSent,
                               long linesFailed, long requests, long responses, Map<String, Long> byKind,
                               long reconnects, long resends, long cuts, Map<String, Integer> expectedAnomalies,
                               Map<String, Long> byTenant, List<TenantProfileRecord> tenantDirectory,
                               Instant firstEventTime, Instant lastEventTime, List<PlantedSend> plantsSent,
                               List<String> notes) {
    public SimulationReport {
        byKind = Map.copyOf(byKind);
        expectedAnomalies = Map.copyOf(expectedAnomalies);
        byTenant = Map.copyOf(byTenant);
        tenantDirectory = List.copyOf(tenantDirectory);
        plantsSent = List.copyOf(plantsSent);
        notes = List.copyOf(notes);
    }

    /** Lines per second actually sent. */
    public double rate() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : linesSent / s;
    }

    public int expectedAnomalyTotal() {
        return expectedAnomalies.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The human summary the CLI prints. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "simulated %d Vault node(s) -> %s in %.1f s (%.0f lines/s)%n", nodes,
                target, elapsed.toNanos() / 1e9, rate()));
        sb.append(String.format(Locale.ROOT, "lines: %d sent, %d failed, %d generated (%d requests, %d responses)%n",
                linesSent, linesFailed, linesGenerated, requests, responses));
        sb.append(String.format(Locale.ROOT, "connections: %d reconnects, %d resends, %d cut mid-line%n", reconnects,
                resends, cuts));
        if (firstEventTime != null) {
            sb.append("event time: ").append(firstEventTime).append(" .. ").append(lastEventTime)
                    .append(System.lineSeparator());
        }
        sb.append("requests by kind:").append(System.lineSeparator());
        new TreeMap<>(byKind).forEach((k, n) -> sb.append(String.format(Locale.ROOT, "  %-18s %d%n", k, n)));
        sb.append("lines by tenant:").append(System.lineSeparator());
        new TreeMap<>(byTenant).forEach((k, n) -> sb.append(String.format(Locale.ROOT, "  %-18s %d%n", k, n)));
        sb.append(String.format(Locale.ROOT, "expected anomalies (%d):%n", expectedAnomalyTotal()));
        for (PlantedRule r : PlantedRule.values()) {
            sb.append(String.format(Locale.ROOT, "  %-24s %d%n", r.wire(), expectedAnomalies.getOrDefault(r.wire(), 0)));
        }
        for (TenantProfileRecord t : tenantDirectory) {
            sb.append("tenant directory record needed: ").append(t.tenantId()).append(' ').append(t.json())
                    .append(System.lineSeparator());
        }
        for (String n : notes) {
            sb.append("note: ").append(n).append(System.lineSeparator());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
