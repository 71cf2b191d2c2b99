package io.auditrail.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.core.testing.StageBalance;
import io.auditrail.core.testing.VaultSamples;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.core.topic.Topics;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.PairingStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stage against the real embedded broker: corpus and generated traffic in, events, anomalies and DLQ out. */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StreamsStageIT {
    private static final AtomicInteger RUN = new AtomicInteger();

    @TempDir
    Path state;

    private Settings settings(EmbeddedKafka kafka, String name) {
        String suffix = "." + name + "." + RUN.incrementAndGet();
        Map<String, String> s = new HashMap<>();
        s.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        s.put(CoreConfig.TOPIC_RAW, "vault.audit.raw" + suffix);
        s.put(CoreConfig.TOPIC_EVENTS, "vault.audit.events" + suffix);
        s.put(CoreConfig.TOPIC_ANOMALIES, "vault.audit.anomalies" + suffix);
        s.put(CoreConfig.TOPIC_DLQ, "vault.audit.dlq" + suffix);
        s.put(CoreConfig.TOPIC_TENANTS, "vault.audit.tenants" + suffix);
        s.put(StreamsStageConfig.APPLICATION_ID, "auditrail-it" + suffix);
        s.put(StreamsStageConfig.STATE_DIR, state.toString());
        s.put(StreamsStageConfig.PAIRING_TIMEOUT_MS, "2000");
        s.put(StreamsStageConfig.PAIRING_SWEEP_INTERVAL_MS, "200");
        return Settings.of(s);
    }

    @Test
    void corpusAndTrafficBecomeEventsAnomaliesAndExactlyTheBadLinesInTheDlq(EmbeddedKafka kafka) throws Exception {
        Path corpus = VaultSamples.require();
        Settings settings = settings(kafka, "corpus");
        Topics topics = new CoreConfig(settings).topics();
        StreamsStageConfig config = new StreamsStageConfig(settings);
        StreamsStage.ensureTopics(config);

        List<Traffic.Entry> lines = new ArrayList<>();
        AuditEntryParser parser = new AuditEntryParser();
        for (VaultSamples.Line l : VaultSamples.lines(corpus)) {
            String requestId = null; // keyed by request id, as ingest does, so request and response meet
            try {
                requestId = parser.parse(l.bytes()).request().id();
            } catch (MalformedEntryException e) {
                // goes to the DLQ, key irrelevant
            }
            lines.add(new Traffic.Entry(requestId, l.bytes()));
        }
        Instant t0 = Instant.now().minusSeconds(60);
        lines.addAll(Traffic.pairs("gen", 2_000, t0, 7));
        // planted: a cross-tenant read, a root token, a request whose response is lost, truncated fragments
        AuditLine cross = AuditLine.of("plant-x").tenant("t1").op("read", "secret/data/tenants/t2/db").at(t0);
        lines.add(new Traffic.Entry("plant-x", cross.request()));
        lines.add(new Traffic.Entry("plant-x", cross.response()));
        AuditLine root = AuditLine.of("plant-root").entity(null, "root").policies("root").op("read", "sys/mounts").at(t0);
        lines.add(new Traffic.Entry("plant-root", root.request()));
        lines.add(new Traffic.Entry("plant-root", root.response()));
        lines.add(new Traffic.Entry("plant-gap", AuditLine.of("plant-gap").entity("e-gap", "gap").at(t0).request()));
        byte[] full = AuditLine.of("frag").request();
        Set<String> planted = new HashSet<>();
        for (int i = 1; i <= 5; i++) {
            byte[] fragment = java.util.Arrays.copyOf(full, full.length * i / 7);
            lines.add(new Traffic.Entry("frag-" + i, fragment));
            planted.add(new String(fragment, StandardCharsets.UTF_8));
        }
        Set<String> expectedDlq = new HashSet<>();
        int expectedEvents = 0;
        for (Traffic.Entry e : lines) {
            try {
                parser.parse(e.line());
                expectedEvents++;
            } catch (MalformedEntryException ex) {
                expectedDlq.add(new String(e.line(), StandardCharsets.UTF_8));
            }
        }
        assertThat(expectedDlq).containsAll(planted);
        int eventLines = expectedEvents;

        produce(kafka, topics.raw(), lines);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StreamsStage stage = StreamsStage.start(config, config.rules(), registry)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> stage.metrics().receivedCount() >= lines.size());
            // a request whose response is lost is released once stream time (record timestamps, here the wall clock
            // at send) passes its deadline; later traffic in each partition moves it
            Thread.sleep(2_500);
            produceTicks(kafka, topics.raw(), topics.partitions());
            int ticks = 2 * topics.partitions();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(kafka, topics.events()) >= eventLines + ticks);
            List<ConsumerRecord<byte[], byte[]>> events = read(kafka, topics.events());
            List<ConsumerRecord<byte[], byte[]>> dlq = read(kafka, topics.dlq());
            Set<String> ids = new HashSet<>();
            Map<PairingStatus, Integer> byStatus = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : events) {
                PairedEvent e = PairedEvent.fromJson(r.value());
                ids.add(e.event().eventId());
                byStatus.merge(e.pairing().status(), 1, Integer::sum);
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(e.event().tenantId() == null ? "-" : e.event().tenantId());
            }
            assertThat(events).hasSize(expectedEvents + ticks);
            assertThat(ids).hasSize(events.size());
            assertThat(byStatus.get(PairingStatus.UNANSWERED)).isGreaterThanOrEqualTo(1);

            Set<String> dlqLines = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                dlqLines.add(new String(r.value(), StandardCharsets.UTF_8));
                assertThat(r.headers().lastHeader(RecordHeaders.DLQ_FAILURE)).isNotNull();
            }
            assertThat(dlq).hasSize(expectedDlq.size());
            assertThat(dlqLines).isEqualTo(expectedDlq);

            await().atMost(Duration.ofSeconds(30)).until(() -> count(kafka, topics.anomalies()) >= 4);
            List<Anomaly> anomalies = read(kafka, topics.anomalies()).stream()
                    .map(r -> AnomalyCodec.fromBytes(r.value())).toList();
            assertThat(anomalies).extracting(Anomaly::rule)
                    .contains("cross_tenant_access", "root_token_use", "audit_gap", "audit_device_change");
            assertThat(anomalies).filteredOn(a -> a.rule().equals("audit_gap"))
                    .anySatisfy(a -> assertThat(a.description()).contains("plant-gap"));
            assertThat(anomalies).filteredOn(a -> a.rule().equals("cross_tenant_access")).singleElement()
                    .satisfies(a -> assertThat(a.tenantId()).isEqualTo("t1"));
            StreamsMetrics m = stage.metrics();
            assertThat(m.receivedCount()).isEqualTo(lines.size() + ticks);
            StageBalance.assertBalanced(m.records());
        }
    }

    @Test
    void closingAndReopeningMidStreamLosesNothingAndDuplicatesNothing(EmbeddedKafka kafka) throws Exception {
        Settings settings = settings(kafka, "restart");
        Topics topics = new CoreConfig(settings).topics();
        StreamsStageConfig config = new StreamsStageConfig(settings);
        StreamsStage.ensureTopics(config);
        List<Traffic.Entry> lines = Traffic.pairs("rs", 10_000, Instant.now().minusSeconds(30), 11);
        produce(kafka, topics.raw(), lines.subList(0, 14_000));

        long firstRun;
        try (StreamsStage stage = StreamsStage.start(config, config.rules(), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(kafka, topics.events()) > 0);
            assertThat(stage.isRunning()).isTrue();
            firstRun = count(kafka, topics.events());
        }
        produce(kafka, topics.raw(), lines.subList(14_000, lines.size()));
        try (StreamsStage stage = StreamsStage.start(config, config.rules(), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> count(kafka, topics.events()) >= lines.size());
            assertThat(stage.isRunning()).isTrue();
            Thread.sleep(1_000); // anything extra would show now
            List<ConsumerRecord<byte[], byte[]>> events = read(kafka, topics.events());
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : events) {
                ids.add(PairedEvent.fromJson(r.value()).event().eventId());
            }
            assertThat(firstRun).isLessThan(lines.size());
            assertThat(ids).hasSize(lines.size());
            assertThat(events).hasSize(lines.size());
            assertThat(read(kafka, topics.dlq())).isEmpty();
        }
    }

    /** A request and its response in every partition, timestamped now, to move stream time on in every task. */
    static void produceTicks(EmbeddedKafka kafka, String topic, int partitions) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < partitions; i++) {
                AuditLine tick = AuditLine.of("tick-" + i).entity("e-tick", "tick").at(Instant.now());
                byte[] key = ("tick-" + i).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, i, key, tick.request()));
                producer.send(new ProducerRecord<>(topic, i, key, tick.response()));
            }
            producer.flush();
        }
    }

    static void produce(EmbeddedKafka kafka, String topic, List<Traffic.Entry> lines) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Traffic.Entry e : lines) {
                byte[] key = e.requestId() == null ? null : e.requestId().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key, e.line()));
            }
            producer.flush();
        }
    }

    static long count(EmbeddedKafka kafka, String topic) {
        return read(kafka, topic).size();
    }

    /** Every committed record of a topic (read_committed: what a downstream stage sees). */
    static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafka kafka, String topic) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
