package io.auditrail.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.core.testing.VaultSamples;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The same rules in memory, as {@code auditrail inspect} runs them: planted anomalies, counted per rule. */
class OfflineDetectorTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private final AuditEntryParser parser = new AuditEntryParser();
    private final EventEnricher enricher = EventEnricher.defaults();

    private AuditEvent event(byte[] line) throws MalformedEntryException {
        return enricher.enrich(parser.parse(line), line);
    }

    @Test
    void findsThePlantedAnomaliesAndFlushesGapsAtTheEnd() throws Exception {
        OfflineDetector detector = OfflineDetector.defaults();
        List<Anomaly> out = new ArrayList<>();
        // 3 root token uses (one anomaly), a cross-tenant read, a request whose response is missing
        for (int i = 0; i < 3; i++) {
            AuditLine l = AuditLine.of("root-" + i).policies("root").op("read", "sys/mounts").at(T0.plusSeconds(i));
            out.addAll(detector.accept(event(l.request())));
            out.addAll(detector.accept(event(l.response())));
        }
        AuditLine cross = AuditLine.of("x-1").tenant("a").op("read", "secret/data/tenants/b/db")
                .entity("e-eve", "eve").at(T0.plusSeconds(5));
        out.addAll(detector.accept(event(cross.request())));
        out.addAll(detector.accept(event(cross.response())));
        out.addAll(detector.accept(event(AuditLine.of("gap-1").entity("e-bob", "bob").at(T0.plusSeconds(6))
                .request())));
        assertThat(out).extracting(Anomaly::rule).containsExactly("root_token_use", "cross_tenant_access");
        List<Anomaly> end = detector.finish();
        assertThat(end).extracting(Anomaly::rule).containsExactlyInAnyOrder("audit_gap", "root_token_use");
        assertThat(end).filteredOn(a -> a.rule().equals("root_token_use")).singleElement()
                .satisfies(a -> assertThat(a.count()).isEqualTo(3));
        out.addAll(end);
        assertThat(perRule(out)).isEqualTo(Map.of("audit_gap", 1L, "cross_tenant_access", 1L, "root_token_use", 1L));
    }

    @Test
    void theSampleCorpusRaisesWhatItsLinesShow() throws Exception {
        Path corpus = VaultSamples.require();
        OfflineDetector detector = OfflineDetector.defaults();
        List<Anomaly> out = new ArrayList<>();
        int events = 0;
        for (VaultSamples.Line line : VaultSamples.lines(corpus)) {
            try {
                out.addAll(detector.accept(event(line.bytes())));
                events++;
            } catch (MalformedEntryException e) {
                // not an entry: inspect reports it as dlq
            }
        }
        out.addAll(detector.finish());
        assertThat(events).isPositive();
        Map<String, Long> rules = perRule(out);
        // the corpus has a root token enabling an audit device, and a fake entry with an unhashed accessor
        assertThat(rules).containsKeys("root_token_use", "audit_device_change", "raw_logging_detected");
        assertThat(rules).doesNotContainKey("cross_tenant_access");
    }

    /** Distinct anomaly ids per rule: what {@code inspect --summary} prints. */
    static Map<String, Long> perRule(List<Anomaly> anomalies) {
        Map<String, java.util.Set<String>> ids = new TreeMap<>();
        anomalies.forEach(a -> ids.computeIfAbsent(a.rule(), r -> new java.util.HashSet<>()).add(a.anomalyId()));
        Map<String, Long> out = new TreeMap<>();
        ids.forEach((r, s) -> out.put(r, (long) s.size()));
        return out;
    }
}
