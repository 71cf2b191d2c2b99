package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class IndexConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        IndexConfig c = new IndexConfig(Settings.of(Map.of()));
        assertThat(c.consumerGroup()).isEqualTo("auditrail-index");
        assertThat(c.batchMaxRecords()).isEqualTo(5000);
        assertThat(c.batchMaxBytes()).isEqualTo(16 << 20);
        assertThat(c.batchMaxDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.retentionDays()).isEqualTo(90);
        assertThat(c.partitionsAheadDays()).isEqualTo(7);
        assertThat(c.retentionInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.migrateOnStart()).isTrue();
        PostgresSettings pg = c.postgres();
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5433/auditrail");
        assertThat(pg.user()).isEqualTo("auditrail");
        assertThat(pg.password()).isEmpty();
        assertThat(pg.poolSize()).isEqualTo(4);
        assertThat(c.writerConnections()).isEqualTo(2);
        assertThat(pg.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(pg.socketTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.consumerProperties())
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "auditrail-index")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    }

    @Test
    void everyKeyMaps() {
        IndexConfig c = new IndexConfig(Settings.of(Map.ofEntries(
                Map.entry(IndexConfig.CONSUMER_GROUP, "g"),
                Map.entry(IndexConfig.BATCH_MAX_RECORDS, "100"),
                Map.entry(IndexConfig.BATCH_MAX_BYTES, "1048576"),
                Map.entry(IndexConfig.BATCH_MAX_DELAY_MS, "10"),
                Map.entry(IndexConfig.RETENTION_DAYS, "30"),
                Map.entry(IndexConfig.PARTITIONS_AHEAD_DAYS, "2"),
                Map.entry(IndexConfig.RETENTION_INTERVAL_MS, "0"),
                Map.entry(IndexConfig.RETRY_BACKOFF_MAX_MS, "1000"),
                Map.entry(IndexConfig.MIGRATE_ON_START, "false"),
                Map.entry(IndexConfig.POSTGRES_POOL_SIZE, "5"),
                Map.entry(IndexConfig.POSTGRES_CONNECT_TIMEOUT_MS, "1000"),
                Map.entry(IndexConfig.POSTGRES_SOCKET_TIMEOUT_MS, "2000"),
                Map.entry(CoreConfig.POSTGRES_URL, "jdbc:postgresql://db/x"),
                Map.entry(CoreConfig.POSTGRES_USER, "u"),
                Map.entry(CoreConfig.POSTGRES_PASSWORD, "secret"),
                Map.entry("kafka.enable.auto.commit", "true"),
                Map.entry("kafka.isolation.level", "read_uncommitted"))));
        assertThat(c.consumerGroup()).isEqualTo("g");
        assertThat(c.batchMaxRecords()).isEqualTo(100);
        assertThat(c.batchMaxBytes()).isEqualTo(1 << 20);
        assertThat(c.batchMaxDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.retentionPolicy()).isEqualTo(new RetentionPolicy(30, 2));
        assertThat(c.retentionInterval()).isZero();
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.migrateOnStart()).isFalse();
        PostgresSettings pg = c.postgres();
        assertThat(pg).isEqualTo(new PostgresSettings("jdbc:postgresql://db/x", "u", "secret", 5,
                Duration.ofSeconds(1), Duration.ofSeconds(2)));
        assertThat(pg.toString()).doesNotContain("secret");
        assertThat(c.owner()).isEqualTo(pg);
        // a role of its own (docs/SECURITY.md): its own password, never the owner's; migrations stay the owner's
        IndexConfig own = new IndexConfig(Settings.of(Map.of(CoreConfig.POSTGRES_USER, "owner",
                CoreConfig.POSTGRES_PASSWORD, "owner-secret", IndexConfig.POSTGRES_USER, "index_svc",
                IndexConfig.POSTGRES_PASSWORD, "index-secret")));
        assertThat(own.postgres().user()).isEqualTo("index_svc");
        assertThat(own.postgres().password()).isEqualTo("index-secret");
        assertThat(own.owner().user()).isEqualTo("owner");
        assertThat(own.owner().password()).isEqualTo("owner-secret");
        IndexConfig trust = new IndexConfig(Settings.of(Map.of(CoreConfig.POSTGRES_PASSWORD, "owner-secret",
                IndexConfig.POSTGRES_USER, "index_svc")));
        assertThat(trust.postgres().password()).isEmpty();
        // the guarantees are not negotiable through the pass-through
        assertThat(c.consumerProperties())
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g");
    }

    @Test
    void badValuesStopStartNamingTheKey() {
        assertThatThrownBy(() -> new IndexConfig(Settings.of(Map.of(IndexConfig.RETENTION_DAYS, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IndexConfig.RETENTION_DAYS);
        assertThatThrownBy(() -> new IndexConfig(Settings.of(Map.of(IndexConfig.BATCH_MAX_DELAY_MS, "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IndexConfig.BATCH_MAX_DELAY_MS);
    }
}
