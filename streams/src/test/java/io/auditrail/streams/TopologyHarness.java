package io.auditrail.streams;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.rules.RuleBook;
import io.auditrail.streams.tenant.TenantProfile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The topology in a {@link TopologyTestDriver}, with typed access to its topics. Record time = event time. */
final class TopologyHarness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> raw;
    final TestInputTopic<String, byte[]> tenants;
    final TestOutputTopic<String, PairedEvent> events;
    final TestOutputTopic<String, Anomaly> anomalies;
    final TestOutputTopic<byte[], byte[]> dlq;
    final StreamsMetrics metrics = new StreamsMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

    TopologyHarness(Path stateDir, RuleBook rules) {
        this(stateDir, rules, Map.of());
    }

    TopologyHarness(Path stateDir, RuleBook rules, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put(StreamsStageConfig.STATE_DIR, stateDir.toString());
        StreamsStageConfig config = new StreamsStageConfig(Settings.of(all));
        Properties props = config.streamsProperties();
        driver = new TopologyTestDriver(AuditTopology.build(config, rules, metrics), props);
        Topics t = config.core().topics();
        raw = driver.createInputTopic(t.raw(), new ByteArraySerializer(), new ByteArraySerializer());
        tenants = driver.createInputTopic(t.tenants(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(t.events(), new StringDeserializer(), Codecs.pairedEvent().deserializer());
        anomalies = driver.createOutputTopic(t.anomalies(), new StringDeserializer(), Codecs.anomaly().deserializer());
        dlq = driver.createOutputTopic(t.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    void pipe(String requestId, byte[] line, Instant at) {
        raw.pipeInput(new TestRecord<>(requestId == null ? null : requestId.getBytes(), line, at));
    }

    /** A request and its response, both at the line's time. */
    void pipePair(String requestId, AuditLine line, Instant at) {
        pipe(requestId, line.at(at).request(), at);
        pipe(requestId, line.response(), at.plusMillis(2));
    }

    void tenant(TenantProfile profile) {
        tenants.pipeInput(profile.tenantId(), profile.toJson());
    }

    List<Anomaly> anomalies() {
        return new ArrayList<>(anomalies.readValuesToList());
    }

    List<PairedEvent> events() {
        return new ArrayList<>(events.readValuesToList());
    }

    @Override
    public void close() {
        driver.close();
    }
}
