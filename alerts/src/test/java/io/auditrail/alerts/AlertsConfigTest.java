package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        AlertsConfig c = new AlertsConfig(Settings.of(Map.of()));
        assertThat(c.targetsFile()).isNull();
        assertThat(c.consumerGroup()).isEqualTo("auditrail-alerts");
        assertThat(c.retryBackoffInitial()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.giveUpAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.throttleWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.httpTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.targetQueueMax()).isEqualTo(1000);
        assertThat(c.maxPendingRecords()).isEqualTo(10_000);
        assertThat(c.allowPlainHttp()).isFalse();
        assertThat(c.topics().anomalies()).isEqualTo("vault.audit.anomalies");
        assertThat(AlertsConfig.DEFINITION.names()).hasSize(13).allMatch(k -> k.startsWith("alerts."));
    }

    @Test
    void everyKeyMaps() {
        AlertsConfig c = new AlertsConfig(Settings.of(Map.ofEntries(
                Map.entry(AlertsConfig.TARGETS_FILE, "/etc/auditrail/targets.json"),
                Map.entry(AlertsConfig.CONSUMER_GROUP, "g"),
                Map.entry(AlertsConfig.RETRY_BACKOFF_INITIAL_MS, "10"),
                Map.entry(AlertsConfig.RETRY_BACKOFF_MAX_MS, "20"),
                Map.entry(AlertsConfig.GIVE_UP_AFTER_MS, "30"),
                Map.entry(AlertsConfig.THROTTLE_WINDOW_MS, "0"),
                Map.entry(AlertsConfig.HTTP_TIMEOUT_MS, "400"),
                Map.entry(AlertsConfig.TARGET_QUEUE_MAX, "5"),
                Map.entry(AlertsConfig.MAX_PENDING_RECORDS, "6"),
                Map.entry(AlertsConfig.POSTGRES_POOL_SIZE, "7"),
                Map.entry(AlertsConfig.ALLOW_PLAIN_HTTP, "true"),
                Map.entry(AlertsConfig.POSTGRES_USER, "alerts_svc"),
                Map.entry(AlertsConfig.POSTGRES_PASSWORD, "alerts-secret"),
                Map.entry(CoreConfig.TOPIC_ANOMALIES, "x.anomalies"),
                Map.entry("kafka.client.rack", "r1"))));
        assertThat(c.targetsFile()).isEqualTo(Path.of("/etc/auditrail/targets.json"));
        assertThat(c.consumerGroup()).isEqualTo("g");
        assertThat(c.retryBackoffInitial()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.giveUpAfter()).isEqualTo(Duration.ofMillis(30));
        assertThat(c.throttleWindow()).isZero();
        assertThat(c.httpTimeout()).isEqualTo(Duration.ofMillis(400));
        assertThat(c.targetQueueMax()).isEqualTo(5);
        assertThat(c.maxPendingRecords()).isEqualTo(6);
        assertThat(c.getInt(AlertsConfig.POSTGRES_POOL_SIZE)).isEqualTo(7);
        assertThat(c.allowPlainHttp()).isTrue();
        try (var pool = c.pool()) {
            assertThat(pool.getUsername()).isEqualTo("alerts_svc");
            assertThat(pool.getPassword()).isEqualTo("alerts-secret");
        }
        assertThat(c.topics().anomalies()).isEqualTo("x.anomalies");
        Map<String, Object> consumer = c.consumerProperties();
        assertThat(consumer).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry("client.rack", "r1");
    }

    @Test
    void theStageOwnsOffsetCommitsWhateverThePassThroughSays() {
        AlertsConfig c = new AlertsConfig(Settings.of(Map.of("kafka.enable.auto.commit", "true")));
        assertThat(c.consumerProperties()).containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> new AlertsConfig(Settings.of(Map.of(AlertsConfig.RETRY_BACKOFF_INITIAL_MS, "5000",
                AlertsConfig.RETRY_BACKOFF_MAX_MS, "1000")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(AlertsConfig.RETRY_BACKOFF_INITIAL_MS);
        assertThatThrownBy(() -> new AlertsConfig(Settings.of(Map.of(AlertsConfig.TARGET_QUEUE_MAX, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AlertsConfig.TARGET_QUEUE_MAX);
        assertThatThrownBy(() -> Settings.of(Map.of("alerts.throttle.window", "1"))
                .refuseUnknown(List.of(CoreConfig.DEFINITION, AlertsConfig.DEFINITION)))
                .hasMessageContaining("alerts.throttle.window");
    }
}
