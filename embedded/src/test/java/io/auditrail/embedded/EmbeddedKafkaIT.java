package io.auditrail.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaIT {
    private static final String TOPIC = "vault.audit.raw";

    @TempDir
    Path dir;

    @Test
    void recordsRoundTripByteExactAndSurviveARestart() throws Exception {
        // bytes that a String round trip would mangle: not UTF-8, embedded NUL and newline
        byte[] first = {0x00, (byte) 0xff, (byte) 0xfe, '\n', '{', '"', 'a', '"', '}', (byte) 0x80};
        byte[] second = "{\"type\":\"response\",\"request\":{\"id\":\"r-2\"}}".getBytes(StandardCharsets.UTF_8);

        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(dir).withPartitions(2))) {
            long t0 = System.nanoTime();
            kafka.start();
            System.out.printf("kafka start (format + start): %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
            int port = kafka.port();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
                assertThat(admin.describeTopics(Set.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(TOPIC).partitions()).hasSize(1);
            }
            RecordMetadata written = produce(kafka, "k1", first);
            assertThat(written.offset()).isZero();
            assertThat(consumeAll(kafka, 1)).singleElement()
                    .satisfies(r -> assertThat(r.value()).containsExactly(first));

            t0 = System.nanoTime();
            kafka.stop();
            System.out.printf("kafka stop: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(kafka.isRunning()).isFalse();
            t0 = System.nanoTime();
            kafka.start();
            System.out.printf("kafka restart: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(kafka.port()).isEqualTo(port);

            produce(kafka, "k2", second);
            List<ConsumerRecord<byte[], byte[]>> records = consumeAll(kafka, 2);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(0L, 1L);
            assertThat(records.get(0).value()).containsExactly(first);
            assertThat(records.get(1).value()).containsExactly(second);
        }
    }

    @Test
    void aNewInstanceOnTheSameDirectoryKeepsTheDataAndDoesNotReformat() throws Exception {
        byte[] value = "kept".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(dir)).start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(kafka, "k", value);
        }
        // as `auditrail dev --data-dir` does after a JVM restart: new instance, new broker port, same directory
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(dir)).start()) {
            assertThat(consumeAll(kafka, 1)).singleElement()
                    .satisfies(r -> assertThat(r.value()).containsExactly(value));
        }
    }

    @Test
    void aTakenPortIsReportedAsSuch() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(dir).withPort(taken.getLocalPort()))) {
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka broker")
                    .hasMessageContaining(taken.getLocalPort() + " is already in use");
            assertThat(kafka.isRunning()).isFalse();
        }
    }

    private static RecordMetadata produce(EmbeddedKafka kafka, String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(TOPIC, key.getBytes(StandardCharsets.UTF_8), value))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads partition 0 from the start until {@code expected} records arrived (or the deadline passed). */
    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(EmbeddedKafka kafka, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
