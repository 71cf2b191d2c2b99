package io.auditrail.app.inspect;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.parse.ParseFailure;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Counts for {@code inspect --summary}: lines in = events + lines that are not entries; anomalies by rule. */
final class InspectSummary {
    private static final String PLATFORM = "(no tenant)";

    private long lines;
    private long events;
    private final Map<String, long[]> byTenant = new TreeMap<>();
    private final Map<String, Long> byType = new TreeMap<>();
    private final Map<ParseFailure, Long> byFailure = new EnumMap<>(ParseFailure.class);
    private long rawLogging;
    private final Map<String, Anomaly> anomalies = new LinkedHashMap<>();

    void line() {
        lines++;
    }

    void event(PairedEvent paired) {
        AuditEvent e = paired.event();
        events++;
        long[] c = byTenant.computeIfAbsent(e.tenantId() == null ? PLATFORM : e.tenantId(), t -> new long[4]);
        c[0]++;
        c[1 + e.outcome().ordinal()]++;
        byType.merge(e.type(), 1L, Long::sum);
        if (!e.rawLogging().isEmpty()) {
            rawLogging++;
        }
    }

    /** An anomaly id met again is an update of the same anomaly: counted once, with its latest count. */
    void anomaly(Anomaly a) {
        anomalies.put(a.anomalyId(), a);
    }

    void failure(ParseFailure f) {
        byFailure.merge(f, 1L, Long::sum);
    }

    long failures() {
        return byFailure.values().stream().mapToLong(Long::longValue).sum();
    }

    void print(PrintWriter w) {
        w.printf("lines        %d%n", lines);
        w.printf("events       %d%n", events);
        w.printf("not entries  %d%n", failures());
        w.printf("raw logging  %d%n", rawLogging);
        w.printf("anomalies    %d%n", anomalies.size());
        w.println();
        w.printf("%-24s %8s %8s %8s %8s%n", "tenant", "events", Outcome.OK.wire(), Outcome.DENIED.wire(),
                Outcome.ERROR.wire());
        byTenant.forEach((t, c) -> w.printf("%-24s %8d %8d %8d %8d%n", t, c[0], c[1], c[2], c[3]));
        w.println();
        w.printf("%-24s %8s%n", "type", "events");
        byType.forEach((t, n) -> w.printf("%-24s %8d%n", t, n));
        if (!anomalies.isEmpty()) {
            Map<String, long[]> byRule = new TreeMap<>();
            Map<String, Severity> severity = new TreeMap<>();
            for (Anomaly a : anomalies.values()) {
                long[] c = byRule.computeIfAbsent(a.rule(), r -> new long[2]);
                c[0]++;
                c[1] += a.count();
                severity.put(a.rule(), a.severity());
            }
            w.println();
            w.printf("%-24s %-9s %9s %8s%n", "rule", "severity", "anomalies", "firings");
            byRule.forEach((r, c) -> w.printf("%-24s %-9s %9d %8d%n", r, severity.get(r).name().toLowerCase(
                    java.util.Locale.ROOT), c[0], c[1]));
        }
        if (!byFailure.isEmpty()) {
            w.println();
            w.printf("%-24s %8s%n", "not an entry", "lines");
            byFailure.forEach((f, n) -> w.printf("%-24s %8d%n", f.name(), n));
        }
    }
}
