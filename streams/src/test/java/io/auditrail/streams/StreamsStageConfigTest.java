package io.auditrail.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StreamsStageConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        Map<String, Object> defaults = new TreeMap<>(StreamsStageConfig.DEFINITION.defaultValues());
        defaults.remove(StreamsStageConfig.STATE_DIR); // machine-specific: java.io.tmpdir
        assertThat(defaults).isEqualTo(new TreeMap<>(Map.of(
                StreamsStageConfig.APPLICATION_ID, "auditrail-streams",
                StreamsStageConfig.COMMIT_INTERVAL_MS, 100L,
                StreamsStageConfig.NUM_THREADS, 1,
                StreamsStageConfig.PAIRING_TIMEOUT_MS, 60_000L,
                StreamsStageConfig.PAIRING_SWEEP_INTERVAL_MS, 1_000L,
                StreamsStageConfig.DETECT_SWEEP_INTERVAL_MS, 10_000L,
                StreamsStageConfig.DETECT_LATENESS_MS, 300_000L,
                StreamsStageConfig.TENANT_REFRESH_INTERVAL_MS, 10_000L,
                StreamsStageConfig.RULES_FILE, "",
                StreamsStageConfig.STARTUP_TIMEOUT_MS, 60_000L)));
        assertThat(StreamsStageConfig.DEFINITION.configKeys().values())
                .allSatisfy(k -> assertThat(k.documentation).isNotBlank());
    }

    @Test
    void everyKeyMaps() {
        StreamsStageConfig c = new StreamsStageConfig(Settings.of(Map.ofEntries(
                Map.entry(StreamsStageConfig.APPLICATION_ID, "app-x"),
                Map.entry(StreamsStageConfig.STATE_DIR, "/var/lib/auditrail/streams"),
                Map.entry(StreamsStageConfig.COMMIT_INTERVAL_MS, "250"),
                Map.entry(StreamsStageConfig.NUM_THREADS, "2"),
                Map.entry(StreamsStageConfig.PAIRING_TIMEOUT_MS, "30000"),
                Map.entry(StreamsStageConfig.PAIRING_SWEEP_INTERVAL_MS, "500"),
                Map.entry(StreamsStageConfig.DETECT_SWEEP_INTERVAL_MS, "2000"),
                Map.entry(StreamsStageConfig.TENANT_REFRESH_INTERVAL_MS, "3000"),
                Map.entry(StreamsStageConfig.STARTUP_TIMEOUT_MS, "4000"),
                Map.entry("kafka.bootstrap.servers", "k1:9092"),
                Map.entry("kafka.producer.linger.ms", "5"))));
        Properties p = c.streamsProperties();
        assertThat(p).containsEntry("application.id", "app-x").containsEntry("state.dir", "/var/lib/auditrail/streams")
                .containsEntry("commit.interval.ms", 250L).containsEntry("num.stream.threads", 2)
                .containsEntry("bootstrap.servers", "k1:9092").containsEntry("producer.linger.ms", "5")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("producer.max.in.flight.requests.per.connection", 1);
        assertThat(c.pairingTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.pairingSweepInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.detectSweepInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.tenantRefreshInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.startupTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aMissingRulesFileStopsStartUpNamingIt() {
        StreamsStageConfig c = new StreamsStageConfig(Settings.of(Map.of(StreamsStageConfig.RULES_FILE,
                "/nonexistent/rules.properties")));
        assertThatThrownBy(c::rules).isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/rules.properties");
    }

    @Test
    void aBadValueIsRefusedWithItsKey() {
        assertThatThrownBy(() -> new StreamsStageConfig(Settings.of(Map.of(StreamsStageConfig.PAIRING_TIMEOUT_MS,
                "10")))).isInstanceOf(ConfigException.class).hasMessageContaining(StreamsStageConfig.PAIRING_TIMEOUT_MS);
    }
}
