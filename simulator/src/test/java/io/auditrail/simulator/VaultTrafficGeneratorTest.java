package io.auditrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.event.RawLoggingCheck;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.core.tenant.TenantResolver;
import io.auditrail.streams.rules.RuleName;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VaultTrafficGeneratorTest {
    static final Instant BASE = Instant.parse("2026-11-20T09:00:00.123456789Z");

    static SimulationPlan plan(long lines, long seed) {
        return SimulationPlan.of("127.0.0.1", 9090, 1000, Duration.ofHours(24), 8, seed).withLineLimit(lines);
    }

    static List<GeneratedLine> generate(SimulationPlan plan) {
        VaultTrafficGenerator g = new VaultTrafficGenerator(plan, BASE);
        List<GeneratedLine> out = new ArrayList<>();
        for (GeneratedLine l = g.next(); l != null; l = g.next()) {
            out.add(l);
        }
        return out;
    }

    @Test
    void everyLineParsesAndResolvesToTheIntendedTenant() throws MalformedEntryException {
        AuditEntryParser parser = new AuditEntryParser();
        TenantResolver resolver = TenantResolver.defaults();
        List<GeneratedLine> lines = generate(plan(50_000, 42));
        assertThat(lines).hasSize(50_000);
        Set<OperationKind> kinds = EnumSet.noneOf(OperationKind.class);
        long bytes = 0;
        int tenantLines = 0;
        for (GeneratedLine l : lines) {
            assertThat(l.line()[l.line().length - 1]).isEqualTo((byte) '\n');
            AuditEntry e = parser.parse(l.json());
            assertThat(e.type()).isEqualTo(l.type());
            assertThat(e.request().id()).isEqualTo(l.requestId());
            assertThat(e.time()).isEqualTo(l.time());
            assertThat(resolver.resolve(e).tenantId()).as("tenant of %s", new String(l.json())).isEqualTo(l.tenant());
            if (l.plant() != PlantedRule.RAW_LOGGING_DETECTED) {
                assertThat(RawLoggingCheck.unhashedFields(e)).as("hashed tokens in %s", l.kind()).isEmpty();
            }
            kinds.add(l.kind());
            bytes += l.line().length;
            tenantLines += l.tenant() != null ? 1 : 0;
        }
        assertThat(kinds).containsExactlyInAnyOrder(OperationKind.values());
        assertThat(tenantLines).isGreaterThan(40_000);
        assertThat(bytes / lines.size()).as("mean line size").isBetween(700L, 2500L);
    }

    @Test
    void responsesFollowTheirRequestsOnTheSameNode() {
        List<GeneratedLine> lines = generate(plan(30_000, 7));
        Map<String, GeneratedLine> open = new HashMap<>();
        int requestOnly = 0;
        long previous = Long.MIN_VALUE;
        for (GeneratedLine l : lines) {
            assertThat(l.timeNanos()).isGreaterThan(previous);
            previous = l.timeNanos();
            if (l.type().equals("request")) {
                assertThat(open.put(l.requestId(), l)).as("request id reused").isNull();
            } else {
                GeneratedLine req = open.remove(l.requestId());
                assertThat(req).as("response %s without an earlier request", l.requestId()).isNotNull();
                assertThat(req.node()).isEqualTo(l.node());
                assertThat(l.timeNanos() - req.timeNanos()).isLessThan(Duration.ofSeconds(30).toNanos());
            }
        }
        for (GeneratedLine unanswered : open.values()) {
            String json = new String(unanswered.json());
            if (unanswered.plant() == PlantedRule.AUDIT_GAP) {
                continue;
            }
            requestOnly++;
            assertThat(json).containsAnyOf("\"path\":\"sys/replication/status\"", "\"path\":\"sys/step-down\"");
        }
        assertThat(open.values().stream().filter(l -> l.plant() == PlantedRule.AUDIT_GAP)).hasSize(1);
        assertThat(requestOnly).isPositive();
    }

    @Test
    void sameSeedSameBytesAndAnotherSeedOtherBytes() {
        byte[] a = digest(generate(plan(20_000, 1234)));
        byte[] b = digest(generate(plan(20_000, 1234)));
        byte[] c = digest(generate(plan(20_000, 1235)));
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void writesExactlyThePlannedLineCount() {
        for (long n : List.of(1L, 2L, 3L, 999L, 4_001L, 7_777L)) {
            List<GeneratedLine> lines = generate(plan(n, n));
            assertThat(lines).hasSize((int) n);
        }
        SimulationPlan paced = SimulationPlan.of("h", 1, 250, Duration.ofSeconds(20), 3, 5);
        assertThat(generate(paced)).hasSize(5_000);
    }

    @Test
    void tooFewLinesForThePlantsSkipsThemAndSaysSo() {
        VaultTrafficGenerator g = new VaultTrafficGenerator(plan(1_000, 3), BASE);
        assertThat(g.expectedAnomalies().values()).allMatch(n -> n == 0);
        assertThat(g.notes()).anyMatch(n -> n.startsWith("planted anomalies skipped"));
        assertThat(new VaultTrafficGenerator(plan(50_000, 3), BASE).expectedAnomalies().values())
                .allMatch(n -> n == 1);
    }

    @Test
    void normalClientsUseOneAddressEach() {
        Map<String, Set<String>> addresses = new HashMap<>();
        for (GeneratedLine l : generate(plan(20_000, 99).withAnomalies(AnomalyMix.none()))) {
            String json = new String(l.json());
            String entity = field(json, "\"entity_id\":\"");
            String address = field(json, "\"remote_address\":\"");
            if (entity != null && l.type().equals("request")) {
                addresses.computeIfAbsent(entity, k -> new java.util.HashSet<>()).add(address);
            }
        }
        assertThat(addresses).isNotEmpty().allSatisfy((entity, seen) -> assertThat(seen).hasSize(1));
    }

    @Test
    void plantedRulesAreTheStreamsRules() {
        assertThat(Arrays.stream(PlantedRule.values()).map(PlantedRule::wire).collect(Collectors.toSet()))
                .isEqualTo(Arrays.stream(RuleName.values()).map(RuleName::wire).collect(Collectors.toSet()));
    }

    @Test
    void mixParsesTheCliForm() {
        AnomalyMix mix = AnomalyMix.parse("all=2,audit_gap=0,cross_tenant_access=5");
        assertThat(mix.count(PlantedRule.CROSS_TENANT_ACCESS)).isEqualTo(5);
        assertThat(mix.count(PlantedRule.AUDIT_GAP)).isZero();
        assertThat(mix.count(PlantedRule.ROOT_TOKEN_USE)).isEqualTo(2);
        assertThat(AnomalyMix.parse("off").isEmpty()).isTrue();
        assertThat(AnomalyMix.parse("on").total()).isEqualTo(PlantedRule.values().length);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnomalyMix.parse("bogus_rule=1"))
                .hasMessageContaining("bogus_rule");
    }

    /** Measures the generator alone into a null sink; prints lines/s (a figure, not an assertion). */
    @Test
    void rawSpeed() {
        SimulationPlan p = plan(400_000, 77);
        for (int round = 0; round < 2; round++) {
            VaultTrafficGenerator g = new VaultTrafficGenerator(p, BASE);
            long start = System.nanoTime();
            long n = 0, bytes = 0;
            for (GeneratedLine l = g.next(); l != null; l = g.next()) {
                n++;
                bytes += l.line().length;
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("generator round %d: %d lines in %.2f s = %.0f lines/s, %.1f MB/s%n", round, n, s,
                    n / s, bytes / s / 1e6);
            assertThat(n).isEqualTo(400_000);
        }
    }

    private static String field(String json, String prefix) {
        int i = json.indexOf(prefix);
        if (i < 0) {
            return null;
        }
        int from = i + prefix.length();
        return json.substring(from, json.indexOf('"', from));
    }

    static byte[] digest(List<GeneratedLine> lines) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (GeneratedLine l : lines) {
                md.update(l.line());
                md.update((byte) l.node());
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
