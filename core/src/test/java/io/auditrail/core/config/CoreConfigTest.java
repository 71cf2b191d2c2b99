package io.auditrail.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.topic.Topics;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CoreConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        CoreConfig c = new CoreConfig(Settings.of(Map.of()));
        assertThat(c.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("127.0.0.1:9092");
        assertThat(c.topics()).isEqualTo(new Topics("vault.audit.raw", "vault.audit.events", "vault.audit.anomalies",
                "vault.audit.dlq", "vault.audit.tenants", 3, (short) 1));
        assertThat(c.getString(CoreConfig.AUDIT_PREFIX)).isEmpty();
        assertThat(c.getInt(CoreConfig.AUDIT_MAX_LINE_BYTES)).isEqualTo(1 << 20);
        assertThat(c.getString(CoreConfig.TENANT_METADATA_KEY)).isEqualTo("tenant_id");
        assertThat(c.getList(CoreConfig.KV_V2_MOUNTS)).containsExactly("secret/");
    }

    @Test
    void everyKeyMaps() {
        CoreConfig c = new CoreConfig(Settings.of(Map.ofEntries(
                Map.entry(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, "k:1"),
                Map.entry(CoreConfig.TOPIC_RAW, "r"), Map.entry(CoreConfig.TOPIC_EVENTS, "e"),
                Map.entry(CoreConfig.TOPIC_ANOMALIES, "a"), Map.entry(CoreConfig.TOPIC_DLQ, "d"),
                Map.entry(CoreConfig.TOPIC_TENANTS, "t"), Map.entry(CoreConfig.TOPIC_PARTITIONS, "7"),
                Map.entry(CoreConfig.TOPIC_REPLICATION_FACTOR, "3"), Map.entry(CoreConfig.AUDIT_PREFIX, "p"),
                Map.entry(CoreConfig.AUDIT_MAX_LINE_BYTES, "4096"), Map.entry(CoreConfig.TENANT_METADATA_KEY, "org"),
                Map.entry(CoreConfig.TENANT_PATH_PATTERN, "^kv/(?<tenant>[^/]+)/"),
                Map.entry(CoreConfig.KV_V2_MOUNTS, "kv,secret/"))));
        assertThat(c.topics()).isEqualTo(new Topics("r", "e", "a", "d", "t", 7, (short) 3));
        assertThat(c.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("k:1");
        assertThat(c.tenantResolver(id -> java.util.Optional.empty()).pathTenant("kv/acme/x")).isEqualTo("acme");
        assertThat(c.getInt(CoreConfig.AUDIT_MAX_LINE_BYTES)).isEqualTo(4096);
        assertThat(c.getString(CoreConfig.TENANT_METADATA_KEY)).isEqualTo("org");
        assertThat(c.getString(CoreConfig.AUDIT_PREFIX)).isEqualTo("p");
        assertThat(c.getList(CoreConfig.KV_V2_MOUNTS)).containsExactly("kv", "secret/");
        assertThat(CoreConfig.DEFINITION.names()).hasSize(13);
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> new CoreConfig(Settings.of(Map.of(CoreConfig.TOPIC_PARTITIONS, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(CoreConfig.TOPIC_PARTITIONS);
        assertThatThrownBy(() -> new CoreConfig(Settings.of(Map.of(CoreConfig.TENANT_PATH_PATTERN, "^secret/(.*)"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(CoreConfig.TENANT_PATH_PATTERN);
    }
}
