package io.auditrail.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @Test
    void environmentBeatsFileAndOptionsBeatEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("auditrail.properties");
        Files.writeString(file, "topic.partitions=6\naudit.prefix=file\ntenant.metadata.key=tenant\n");
        Settings s = Settings.load(file,
                Map.of("AUDITRAIL_AUDIT_PREFIX", "env", "AUDITRAIL_TOPIC_PARTITIONS", "9", "PATH", "/bin"),
                Map.of("topic.partitions", "12"));
        assertThat(s.asMap()).containsEntry("topic.partitions", "12").containsEntry("audit.prefix", "env")
                .containsEntry("tenant.metadata.key", "tenant").doesNotContainKey("path");
    }

    @Test
    void kafkaKeysPassThroughWithoutPrefix() {
        Settings s = Settings.load(null, Map.of("AUDITRAIL_KAFKA_SECURITY_PROTOCOL", "SSL"),
                Map.of("kafka.bootstrap.servers", "b:9092"));
        assertThat(s.kafkaClientProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "b:9092");
    }

    @Test
    void aMisspeltKeyStopsStartUpAndIsNamed() {
        Settings s = Settings.of(Map.of("topic.partitons", "3", "kafka.acks", "all"));
        assertThatThrownBy(() -> s.refuseUnknown(List.of(CoreConfig.DEFINITION)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic.partitons").hasMessageContaining("AUDITRAIL_TOPIC_PARTITONS")
                .hasMessageNotContaining("kafka.acks");
    }

    @Test
    void aMissingConfigFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> Settings.load(dir.resolve("nope.properties"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.properties");
    }
}
