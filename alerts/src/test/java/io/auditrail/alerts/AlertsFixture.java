package io.auditrail.alerts;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.core.topic.Topics;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.index.DatabaseRoles;
import io.auditrail.index.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One test's own world on the shared services: a fresh database migrated as the index ships sql/, its own anomalies
 * topic and consumer group, and the settings pointing the stage at them.
 */
final class AlertsFixture {
    final String bootstrap;
    final String jdbcUrl;
    final String user;
    final String name;
    final Topics topics;
    final Map<String, String> settings = new HashMap<>();

    private AlertsFixture(String bootstrap, String jdbcUrl, String user, String name, Topics topics) {
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.name = name;
        this.topics = topics;
    }

    static AlertsFixture create(EmbeddedKafka kafka, EmbeddedPostgres pg, Path dir) throws Exception {
        String name = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + name;
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(pg.username());
        // the stage records as its own role (sql/V23); the owner only migrates
        DatabaseRoles.ALL.forEach(pg::ensureLoginRole);
        Migrations.migrate(ds);
        Map<String, String> s = new HashMap<>();
        s.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        s.put(CoreConfig.TOPIC_RAW, name + ".raw");
        s.put(CoreConfig.TOPIC_EVENTS, name + ".events");
        s.put(CoreConfig.TOPIC_ANOMALIES, name + ".anomalies");
        s.put(CoreConfig.TOPIC_DLQ, name + ".dlq");
        s.put(CoreConfig.TOPIC_TENANTS, name + ".tenants");
        s.put(CoreConfig.POSTGRES_URL, url);
        s.put(CoreConfig.POSTGRES_USER, pg.username());
        s.put(CoreConfig.POSTGRES_PASSWORD, "");
        s.put(AlertsConfig.POSTGRES_USER, DatabaseRoles.ALERTS);
        s.put(AlertsConfig.CONSUMER_GROUP, name);
        s.put(AlertsConfig.RETRY_BACKOFF_INITIAL_MS, "50");
        s.put(AlertsConfig.RETRY_BACKOFF_MAX_MS, "400");
        s.put(AlertsConfig.HTTP_TIMEOUT_MS, "2000");
        s.put(AlertsConfig.TARGETS_FILE, dir.resolve("targets.json").toString());
        Topics topics = new CoreConfig(Settings.of(s)).topics();
        new TopicBootstrap(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .ensure(TopicBootstrap.pipeline(topics, 1 << 20).stream()
                        .filter(t -> t.name().equals(topics.anomalies())).toList(), Duration.ofSeconds(30));
        AlertsFixture f = new AlertsFixture(kafka.bootstrapServers(), url, pg.username(), name, topics);
        f.settings.putAll(s);
        return f;
    }

    void targets(String json) throws Exception {
        Files.writeString(Path.of(settings.get(AlertsConfig.TARGETS_FILE)), json, StandardCharsets.UTF_8);
    }

    AlertsStage start(Map<String, String> env) {
        return AlertsStage.start(new AlertsConfig(Settings.of(settings)), new SimpleMeterRegistry(),
                Clock.systemUTC(), env);
    }

    void produce(List<Anomaly> anomalies) {
        produce(anomalies.stream().map(a -> new ProducerRecord<>(topics.anomalies(),
                a.topicKey().getBytes(StandardCharsets.UTF_8), AnomalyCodec.toBytes(a))).toList());
    }

    void produce(Iterable<ProducerRecord<byte[], byte[]>> records) {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /** Sum of the committed offsets of a consumer group over all partitions of the anomalies topic. */
    long committed(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    HikariDataSource pool() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(jdbcUrl);
        ds.setUsername(user);
        ds.setMaximumPoolSize(2);
        return ds;
    }
}
