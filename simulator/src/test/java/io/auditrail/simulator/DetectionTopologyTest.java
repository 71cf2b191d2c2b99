package io.auditrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.config.Settings;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.topic.Topics;
import io.auditrail.streams.AuditTopology;
import io.auditrail.streams.Codecs;
import io.auditrail.streams.StreamsStageConfig;
import io.auditrail.streams.rules.RuleBook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated traffic through the real streams topology with its default rules: the planted anomalies come out
 * exactly as the report expects, and normal traffic raises none. Record time = event time, as in streams' tests.
 */
class DetectionTopologyTest {
    @TempDir
    Path state;

    @Test
    void plantedAnomaliesComeOutExactlyAsExpected() {
        SimulationPlan plan = VaultTrafficGeneratorTest.plan(50_000, 42);
        Result r = run(plan);
        assertThat(r.expected.values()).allMatch(n -> n == 1);
        assertThat(r.distinctByRule).isEqualTo(r.expected);
        assertThat(r.dlq).isZero();
        assertThat(r.events).isEqualTo(50_000);
    }

    @Test
    void aMixOfSeveralPerRuleComesOutExactly() {
        SimulationPlan plan = VaultTrafficGeneratorTest.plan(60_000, 8)
                .withAnomalies(AnomalyMix.parse("all=2,cross_tenant_access=3,read_rate_spike=3,audit_gap=1"));
        Result r = run(plan);
        assertThat(r.expected).containsEntry("cross_tenant_access", 3).containsEntry("audit_gap", 1)
                .containsEntry("policy_change", 2);
        assertThat(r.distinctByRule).isEqualTo(r.expected);
    }

    @Test
    void normalTrafficRaisesNoAnomaly() {
        SimulationPlan plan = VaultTrafficGeneratorTest.plan(50_000, 42).withAnomalies(AnomalyMix.none());
        Result r = run(plan);
        assertThat(r.expected.values()).allMatch(n -> n == 0);
        assertThat(r.distinctByRule).allSatisfy((rule, n) -> assertThat(n).as(rule).isZero());
        assertThat(r.events).isEqualTo(50_000);
    }

    /** The smallest plan that still plants everything: one line per 0.7 s of event time, bursts squeezed in. */
    @Test
    void aShortRunStillPlantsEveryRuleExactly() {
        SimulationPlan plan = SimulationPlan.of("h", 1, 400, Duration.ofSeconds(10), 2, 5);
        Result r = run(plan);
        assertThat(plan.totalLines()).isEqualTo(4_000);
        assertThat(r.expected.values()).allMatch(n -> n == 1);
        assertThat(r.distinctByRule).isEqualTo(r.expected);
    }

    /**
     * Few clients, each asked for far more requests than the rules allow (the read, LIST, denial and login-failure
     * caps bind all the time): still no anomaly.
     */
    @Test
    void crowdedClientsStayUnderEveryThreshold() {
        // 400,000 lines over 48 minutes with 4 clients: ~33 requests/s each; the first 40,000 lines are 5 minutes
        SimulationPlan plan = SimulationPlan.unpaced("h", 1, 400_000, 1, 13).withAnomalies(AnomalyMix.none());
        VaultTrafficGenerator crowded = new VaultTrafficGenerator(plan, VaultTrafficGeneratorTest.BASE, 1000.0);
        Result r = run(crowded, 40_000);
        assertThat(r.distinctByRule).allSatisfy((rule, n) -> assertThat(n).as(rule).isZero());
        assertThat(r.events).isEqualTo(40_000);
    }

    private record Result(Map<String, Integer> expected, Map<String, Integer> distinctByRule, long events, long dlq) {
    }

    private Result run(SimulationPlan plan) {
        return run(plan, Long.MAX_VALUE);
    }

    private Result run(SimulationPlan plan, long maxLines) {
        return run(new VaultTrafficGenerator(plan, VaultTrafficGeneratorTest.BASE), maxLines);
    }

    private Result run(VaultTrafficGenerator generator, long maxLines) {
        StreamsStageConfig config = new StreamsStageConfig(Settings.of(Map.of(StreamsStageConfig.STATE_DIR,
                state.toString())));
        Topics t = config.core().topics();
        try (TopologyTestDriver driver = new TopologyTestDriver(AuditTopology.build(config, RuleBook.defaults()),
                config.streamsProperties())) {
            TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(t.raw(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<String, byte[]> tenants = driver.createInputTopic(t.tenants(), new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, PairedEvent> events = driver.createOutputTopic(t.events(),
                    new StringDeserializer(), Codecs.pairedEvent().deserializer());
            TestOutputTopic<String, Anomaly> anomalies = driver.createOutputTopic(t.anomalies(),
                    new StringDeserializer(), Codecs.anomaly().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(t.dlq(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            for (TenantProfileRecord p : generator.tenantDirectory()) {
                tenants.pipeInput(p.tenantId(), p.value());
            }
            long eventCount = 0;
            Map<String, Set<String>> ids = new TreeMap<>();
            long n = 0;
            for (GeneratedLine l = generator.next(); l != null && n < maxLines; l = generator.next(), n++) {
                raw.pipeInput(new TestRecord<>(l.requestId().getBytes(StandardCharsets.UTF_8), l.json(), l.time()));
                if (n % 5_000 == 0) {
                    eventCount += events.readValuesToList().size();
                    collect(anomalies.readValuesToList(), ids);
                }
            }
            // the pairing's clock is the wall clock: a minute passes after the last line, and what waits for a
            // counterpart that never came (the planted audit gap) is released
            driver.advanceWallClockTime(config.pairingTimeout().plus(config.pairingSweepInterval()));
            eventCount += events.readValuesToList().size();
            collect(anomalies.readValuesToList(), ids);
            Map<String, Integer> distinct = new HashMap<>();
            for (String rule : generator.expectedAnomalies().keySet()) {
                distinct.put(rule, ids.getOrDefault(rule, Set.of()).size());
            }
            assertThat(ids.keySet()).isSubsetOf(generator.expectedAnomalies().keySet());
            return new Result(new HashMap<>(generator.expectedAnomalies()), distinct, eventCount,
                    dlq.readValuesToList().size());
        }
    }

    private static void collect(List<Anomaly> anomalies, Map<String, Set<String>> ids) {
        for (Anomaly a : anomalies) {
            ids.computeIfAbsent(a.rule(), k -> new HashSet<>()).add(a.anomalyId());
        }
    }
}
