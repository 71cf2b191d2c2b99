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
        assertThat(c.getString(CoreConfig.POSTGRES_URL)).isEqualTo("jdbc:postgresql://127.0.0.1:5433/auditrail");
        assertThat(c.getString(CoreConfig.POSTGRES_USER)).isEqualTo("auditrail");
        assertThat(c.getPassword(CoreConfig.POSTGRES_PASSWORD).value()).isEmpty();
        assertThat(c.getString(CoreConfig.S3_ENDPOINT)).isEqualTo("http://127.0.0.1:9000");
        assertThat(c.getString(CoreConfig.S3_BUCKET)).isEqualTo("auditrail-archive");
        assertThat(c.getBoolean(CoreConfig.S3_PATH_STYLE)).isTrue();
        assertThat(c.getString(CoreConfig.S3_ACCESS_KEY)).isEmpty();
    }

    @Test
    void passwordsNeverPrint() {
        CoreConfig c = new CoreConfig(Settings.of(Map.of(CoreConfig.POSTGRES_PASSWORD, "hunter2",
                CoreConfig.S3_SECRET_KEY, "s3cr3t")));
        assertThat(c.getPassword(CoreConfig.POSTGRES_PASSWORD).value()).isEqualTo("hunter2");
        assertThat(c.values().toString()).doesNotContain("hunter2").doesNotContain("s3cr3t");
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
                Map.entry(CoreConfig.KV_V2_MOUNTS, "kv,secret/"),
                Map.entry(CoreConfig.POSTGRES_URL, "jdbc:postgresql://db/x"), Map.entry(CoreConfig.POSTGRES_USER, "u"),
                Map.entry(CoreConfig.POSTGRES_PASSWORD, "p"), Map.entry(CoreConfig.S3_ENDPOINT, "https://s3"),
                Map.entry(CoreConfig.S3_REGION, "eu-west-1"), Map.entry(CoreConfig.S3_BUCKET, "b"),
                Map.entry(CoreConfig.S3_PATH_STYLE, "false"), Map.entry(CoreConfig.S3_ACCESS_KEY, "ak"),
                Map.entry(CoreConfig.S3_SECRET_KEY, "sk"))));
        assertThat(c.getString(CoreConfig.POSTGRES_URL)).isEqualTo("jdbc:postgresql://db/x");
        assertThat(c.getString(CoreConfig.POSTGRES_USER)).isEqualTo("u");
        assertThat(c.getPassword(CoreConfig.POSTGRES_PASSWORD).value()).isEqualTo("p");
        assertThat(c.getString(CoreConfig.S3_ENDPOINT)).isEqualTo("https://s3");
        assertThat(c.getString(CoreConfig.S3_REGION)).isEqualTo("eu-west-1");
        assertThat(c.getString(CoreConfig.S3_BUCKET)).isEqualTo("b");
        assertThat(c.getBoolean(CoreConfig.S3_PATH_STYLE)).isFalse();
        assertThat(c.getString(CoreConfig.S3_ACCESS_KEY)).isEqualTo("ak");
        assertThat(c.getPassword(CoreConfig.S3_SECRET_KEY).value()).isEqualTo("sk");
        assertThat(c.topics()).isEqualTo(new Topics("r", "e", "a", "d", "t", 7, (short) 3));
        assertThat(c.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("k:1");
        assertThat(c.tenantResolver(id -> java.util.Optional.empty()).pathTenant("kv/acme/x")).isEqualTo("acme");
        assertThat(c.getInt(CoreConfig.AUDIT_MAX_LINE_BYTES)).isEqualTo(4096);
        assertThat(c.getString(CoreConfig.TENANT_METADATA_KEY)).isEqualTo("org");
        assertThat(c.getString(CoreConfig.AUDIT_PREFIX)).isEqualTo("p");
        assertThat(c.getList(CoreConfig.KV_V2_MOUNTS)).containsExactly("kv", "secret/");
        assertThat(CoreConfig.DEFINITION.names()).hasSize(22);
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> new CoreConfig(Settings.of(Map.of(CoreConfig.TOPIC_PARTITIONS, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(CoreConfig.TOPIC_PARTITIONS);
        assertThatThrownBy(() -> new CoreConfig(Settings.of(Map.of(CoreConfig.TENANT_PATH_PATTERN, "^secret/(.*)"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(CoreConfig.TENANT_PATH_PATTERN);
    }
}
