package io.auditrail.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.core.testing.VaultSamples;
import io.auditrail.streams.pairing.RequestPairing;
import io.auditrail.streams.rules.Detector;
import io.auditrail.streams.rules.RuleBook;
import io.auditrail.streams.state.MemoryStateMap;
import io.auditrail.streams.state.StateMaps;
import io.auditrail.streams.tenant.TenantProfiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The topology sends detection only the events {@link Detector#reads} names: over traffic that makes every kind of
 * rule fire, the rules must raise exactly the same anomalies from those as from every event.
 */
class DetectionInputTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private final AuditEntryParser parser = new AuditEntryParser();
    private final EventEnricher enricher = EventEnricher.defaults();

    @Test
    void theEventsRulesReadRaiseWhatAllEventsRaise() throws Exception {
        List<PairedEvent> events = paired(lines());
        List<PairedEvent> read = events.stream().filter(Detector::reads).toList();
        assertThat(read.size()).as("paired responses are left out").isLessThan(events.size() * 3 / 4);
        List<Anomaly> fromAll = detect(events);
        assertThat(fromAll).extracting(Anomaly::rule).contains("root_token_use", "permission_denied_burst",
                "login_failure_burst", "cross_tenant_access", "audit_gap", "long_lived_token");
        assertThat(detect(read)).isEqualTo(fromAll);
    }

    private List<byte[]> lines() throws Exception {
        List<byte[]> out = new ArrayList<>();
        Traffic.pairs("t", 2_000, T0, 3).forEach(e -> out.add(e.line()));
        for (int i = 0; i < 12; i++) {
            AuditLine denied = AuditLine.of("d-" + i).op("read", "secret/data/x" + i).error("permission denied")
                    .at(T0.plusSeconds(i));
            out.add(denied.request());
            out.add(denied.response());
            AuditLine login = AuditLine.of("l-" + i).failedLogin("auth/userpass/login/bob").at(T0.plusSeconds(i));
            out.add(login.request());
            out.add(login.response());
        }
        AuditLine root = AuditLine.of("root-1").policies("root").op("read", "sys/mounts").at(T0.plusSeconds(20));
        AuditLine cross = AuditLine.of("x-1").tenant("a").op("read", "secret/data/tenants/b/db").at(T0.plusSeconds(21));
        AuditLine token = AuditLine.of("tk-1").op("update", "auth/token/create").issuesToken(3_000_000)
                .at(T0.plusSeconds(22));
        for (AuditLine l : List.of(root, cross, token)) {
            out.add(l.request());
            out.add(l.response());
        }
        out.add(AuditLine.of("gap-1").at(T0.plusSeconds(23)).request());
        // with the corpus of real lines when it is there: raw logging lines among them
        for (Path corpus : VaultSamples.locate().stream().toList()) {
            VaultSamples.lines(corpus).forEach(l -> out.add(l.bytes()));
        }
        return out;
    }

    private List<PairedEvent> paired(List<byte[]> lines) {
        RequestPairing pairing = new RequestPairing(new MemoryStateMap<>(), Duration.ofSeconds(60), RuleBook.defaults()
                .noResponsePaths(), Long.MIN_VALUE);
        List<PairedEvent> out = new ArrayList<>();
        long now = 0;
        for (byte[] line : lines) {
            try {
                AuditEvent e = enricher.enrich(parser.parse(line), line);
                pairing.accept(e, now++, null).forEach(r -> out.add(r.event()));
            } catch (MalformedEntryException e) {
                // not an entry: the dead-letter topic's, not detection's
            }
        }
        pairing.flush().forEach(r -> out.add(r.event()));
        return out;
    }

    private static List<Anomaly> detect(List<PairedEvent> events) {
        Detector detector = RuleBook.defaults().detector(StateMaps.IN_MEMORY, TenantProfiles.NONE);
        List<Anomaly> out = new ArrayList<>();
        for (PairedEvent e : events) {
            out.addAll(detector.accept(e));
        }
        out.addAll(detector.flush());
        return out;
    }
}
