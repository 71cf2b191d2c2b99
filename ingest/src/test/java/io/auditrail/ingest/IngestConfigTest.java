package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        IngestConfig c = new IngestConfig(Settings.of(Map.of()));
        assertThat(c.listenAddress()).contains(new InetSocketAddress("127.0.0.1", 9090));
        assertThat(c.unixSocketPath()).isEmpty();
        assertThat(c.rawMaxLineBytes()).isEqualTo(1 << 20);
        assertThat(c.maxLineBytes()).isEqualTo(8 << 20);
        assertThat(c.maxConnections()).isEqualTo(1024);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(c.maxConnectionsPerAddress()).isEqualTo(8);
        assertThat(c.firstLineTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.lineTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.partialLinesMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.allowedPeers().blocks()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(c.authPrefixes().isEmpty()).isTrue();
        assertThat(c.refusedMaxBytesPerSecond()).isEqualTo(64L << 10);
        assertThat(c.spoolDir()).isEqualTo(Path.of("auditrail-data/ingest-spool"));
        assertThat(c.spoolMaxBytes()).isEqualTo(8L << 30);
        assertThat(c.spoolSegmentBytes()).isEqualTo(64 << 20);
        assertThat(c.spoolReuseSegments()).isEqualTo(16); // 1 GiB of 64 MiB segments
        assertThat(c.spoolFullPolicy()).isEqualTo(SpoolFullPolicy.BLOCK);
        assertThat(c.spoolFsync()).isEqualTo(SpoolFsyncPolicy.INTERVAL);
        assertThat(c.spoolFsyncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.shutdownDrainTimeout()).isEqualTo(Duration.ofSeconds(10));
        Map<String, Object> p = c.producerProperties();
        assertThat(p).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000)
                .containsEntry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (8 << 20) + (64 << 10))
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    }

    @Test
    void everyKeyMaps() {
        IngestConfig c = new IngestConfig(Settings.of(Map.ofEntries(
                Map.entry(IngestConfig.LISTEN_ADDRESS, "0.0.0.0:0"),
                Map.entry(IngestConfig.UNIX_SOCKET_PATH, "/run/auditrail/vault.sock"),
                Map.entry(IngestConfig.MAX_LINE_BYTES, "2097152"),
                Map.entry(IngestConfig.MAX_CONNECTIONS, "16"),
                Map.entry(IngestConfig.IDLE_TIMEOUT_MS, "60000"),
                Map.entry(IngestConfig.MAX_CONNECTIONS_PER_ADDRESS, "3"),
                Map.entry(IngestConfig.FIRST_LINE_TIMEOUT_MS, "5000"),
                Map.entry(IngestConfig.LINE_TIMEOUT_MS, "2000"),
                Map.entry(IngestConfig.PARTIAL_LINES_MAX_BYTES, "16777216"),
                Map.entry(IngestConfig.ALLOWED_CIDRS, "10.1.0.0/16, fd00::/8"),
                Map.entry(IngestConfig.AUTH_PREFIXES, "vault-a=aaaaaaaaaaaaaaaaaaaa,vault-b=bbbbbbbbbbbbbbbbbbbb"),
                Map.entry(IngestConfig.REFUSED_MAX_BYTES_PER_SECOND, "8192"),
                Map.entry(IngestConfig.SPOOL_DIR, "/var/spool/auditrail"),
                Map.entry(IngestConfig.SPOOL_MAX_BYTES, "104857600"),
                Map.entry(IngestConfig.SPOOL_SEGMENT_BYTES, "1048576"),
                Map.entry(IngestConfig.SPOOL_FULL_POLICY, "reject"),
                Map.entry(IngestConfig.SPOOL_FSYNC, "always"),
                Map.entry(IngestConfig.SPOOL_FSYNC_INTERVAL_MS, "250"),
                Map.entry(IngestConfig.SHUTDOWN_DRAIN_TIMEOUT_MS, "3000"),
                Map.entry(IngestConfig.SPOOL_REUSE_BYTES, "3145728"),
                Map.entry(IngestConfig.PRODUCER_COMPRESSION_TYPE, "zstd"),
                Map.entry(IngestConfig.PRODUCER_BATCH_BYTES, "262144"),
                Map.entry(IngestConfig.PRODUCER_LINGER_MS, "20"),
                Map.entry(IngestConfig.PRODUCER_BUFFER_BYTES, "33554432"),
                Map.entry(IngestConfig.PRODUCER_DELIVERY_TIMEOUT_MS, "30000"),
                Map.entry(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, "k:1"),
                Map.entry("kafka.security.protocol", "SSL"),
                Map.entry("kafka.acks", "1"))));
        assertThat(c.listenAddress()).contains(new InetSocketAddress("0.0.0.0", 0));
        assertThat(c.unixSocketPath()).contains(Path.of("/run/auditrail/vault.sock"));
        assertThat(c.maxLineBytes()).isEqualTo(2 << 20);
        assertThat(c.maxConnections()).isEqualTo(16);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.maxConnectionsPerAddress()).isEqualTo(3);
        assertThat(c.firstLineTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.lineTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.partialLinesMaxBytes()).isEqualTo(16L << 20);
        assertThat(c.allowedPeers().blocks()).containsExactly("10.1.0.0/16", "fd00::/8");
        assertThat(c.authPrefixes().names()).containsExactly("vault-a", "vault-b");
        assertThat(c.refusedMaxBytesPerSecond()).isEqualTo(8192);
        assertThat(c.spoolDir()).isEqualTo(Path.of("/var/spool/auditrail"));
        assertThat(c.spoolMaxBytes()).isEqualTo(100L << 20);
        assertThat(c.spoolSegmentBytes()).isEqualTo(1 << 20);
        assertThat(c.spoolReuseSegments()).isEqualTo(3);
        assertThat(c.spoolFullPolicy()).isEqualTo(SpoolFullPolicy.REJECT);
        assertThat(c.spoolFsync()).isEqualTo(SpoolFsyncPolicy.ALWAYS);
        assertThat(c.spoolFsyncInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.shutdownDrainTimeout()).isEqualTo(Duration.ofSeconds(3));
        Map<String, Object> p = c.producerProperties();
        assertThat(p).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 262144)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
                .containsEntry(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:1")
                .containsEntry("security.protocol", "SSL")
                // the delivery guarantee is not a pass-through setting
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
        assertThat(IngestConfig.DEFINITION.names()).hasSize(25);
    }

    @Test
    void theUnknownKeyCheckKnowsEveryIngestKey() {
        Settings s = Settings.of(Map.of(IngestConfig.SPOOL_DIR, "/x", CoreConfig.TOPIC_RAW, "r"));
        s.refuseUnknown(List.of(CoreConfig.DEFINITION, IngestConfig.DEFINITION));
        assertThatThrownBy(() -> Settings.of(Map.of("ingest.spool.max.byte", "1"))
                .refuseUnknown(List.of(CoreConfig.DEFINITION, IngestConfig.DEFINITION)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.spool.max.byte");
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.SPOOL_FULL_POLICY, "drop"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.SPOOL_FULL_POLICY);
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.LISTEN_ADDRESS, "nohost"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.LISTEN_ADDRESS);
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.LISTEN_ADDRESS, ""))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.UNIX_SOCKET_PATH);
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.MAX_LINE_BYTES, "4096"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(CoreConfig.AUDIT_MAX_LINE_BYTES);
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.SPOOL_MAX_BYTES, "2097152"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.SPOOL_MAX_BYTES);
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.PARTIAL_LINES_MAX_BYTES,
                "4194304")))).isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.MAX_LINE_BYTES);
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.ALLOWED_CIDRS, "10.0.0.0/8,vault-1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.ALLOWED_CIDRS)
                .hasMessageContaining("vault-1").hasMessageContaining("names are not resolved");
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.REFUSED_MAX_BYTES_PER_SECOND,
                "100")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(IngestConfig.REFUSED_MAX_BYTES_PER_SECOND);
    }

    @Test
    void aBadPrefixIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.AUTH_PREFIXES, "n=sh0rtS3cret"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IngestConfig.AUTH_PREFIXES)
                .hasMessageContaining("entry 1 (n)").hasMessageNotContaining("sh0rtS3cret");
        // Vault writes one prefix: ingest cannot check one and leave the parser another
        assertThatThrownBy(() -> new IngestConfig(Settings.of(Map.of(IngestConfig.AUTH_PREFIXES,
                "n=0123456789abcdef0123", CoreConfig.AUDIT_PREFIX, "vault:"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(CoreConfig.AUDIT_PREFIX)
                .hasMessageNotContaining("0123456789abcdef0123");
    }
}
