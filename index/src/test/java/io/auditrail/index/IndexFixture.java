package io.auditrail.index;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.core.topic.Topics;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's own world on the shared services: a fresh database (the role may CREATE DATABASE), its own topics and
 * consumer group, and the settings that point the stage at them.
 */
final class IndexFixture {
    final String bootstrap;
    final String jdbcUrl;
    final String user;
    final Topics topics;
    final Settings settings;

    private IndexFixture(String bootstrap, String jdbcUrl, String user, Topics topics, Settings settings) {
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.topics = topics;
        this.settings = settings;
    }

    /** A fresh database on {@code pg} and fresh topics on {@code kafka}. */
    static IndexFixture create(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        String name = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + name;
        return create(kafka, pg, url, name);
    }

    /**
     * Fresh topics; the database {@code url} on {@code pg} as it is. The stage writes as its own role,
     * auditrail_index (sql/V23), and migrates as the database's owner ({@code postgres.user}), as deployed.
     */
    static IndexFixture create(EmbeddedKafka kafka, EmbeddedPostgres pg, String url, String name) throws Exception {
        DatabaseRoles.ALL.forEach(pg::ensureLoginRole);
        String user = pg.username();
        Map<String, String> s = new HashMap<>();
        s.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        s.put(CoreConfig.TOPIC_RAW, name + ".raw");
        s.put(CoreConfig.TOPIC_EVENTS, name + ".events");
        s.put(CoreConfig.TOPIC_ANOMALIES, name + ".anomalies");
        s.put(CoreConfig.TOPIC_DLQ, name + ".dlq");
        s.put(CoreConfig.TOPIC_TENANTS, name + ".tenants");
        s.put(CoreConfig.POSTGRES_URL, url);
        s.put(CoreConfig.POSTGRES_USER, user);
        s.put(CoreConfig.POSTGRES_PASSWORD, "");
        s.put(IndexConfig.POSTGRES_USER, DatabaseRoles.INDEX);
        s.put(IndexConfig.CONSUMER_GROUP, name);
        s.put(IndexConfig.BATCH_MAX_DELAY_MS, "50");
        s.put(IndexConfig.BATCH_MAX_RECORDS, "500");
        s.put(IndexConfig.RETRY_BACKOFF_MAX_MS, "500");
        s.put(IndexConfig.POSTGRES_CONNECT_TIMEOUT_MS, "1000");
        s.put(IndexConfig.POSTGRES_SOCKET_TIMEOUT_MS, "10000");
        Settings settings = Settings.of(s);
        Topics topics = new IndexConfig(settings).topics();
        new TopicBootstrap(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .ensure(TopicBootstrap.pipeline(topics, 1 << 20).stream()
                        .filter(t -> !t.name().equals(topics.raw()) && !t.name().equals(topics.tenants())).toList(),
                        Duration.ofSeconds(30));
        return new IndexFixture(kafka.bootstrapServers(), url, user, topics, settings);
    }

    Settings with(String key, String value) {
        return settings.with(Map.of(key, value));
    }

    void produce(String topic, List<byte[]> values) {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            int i = 0;
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, ("k" + (i++ % 7)).getBytes(), v));
            }
            producer.flush();
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** 0 while the table does not exist yet (the stage has not migrated) or the database is down. */
    long countQuietly(String sql) {
        try {
            return count(sql);
        } catch (SQLException e) {
            return 0;
        }
    }

    /** Every record of the topic, polling until {@code expected} arrived or the timeout, then a moment longer. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long expected, Duration timeout) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofMillis(500).toNanos();
                }
            }
        }
        return out;
    }
}
