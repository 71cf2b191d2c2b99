package io.auditrail.ingest;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.core.topic.Topics;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The ingest stage's settings: listeners, line limits, the disk spool and its producer. */
public final class IngestConfig extends AbstractConfig {
    public static final String LISTEN_ADDRESS = "ingest.listen.address";
    private static final String LISTEN_ADDRESS_DOC = "host:port of the TCP listener for Vault's socket audit device "
            + "(socket_type=tcp). Empty disables TCP (then ingest.unix.socket.path must be set). Port 0 picks a free one.";
    public static final String UNIX_SOCKET_PATH = "ingest.unix.socket.path";
    private static final String UNIX_SOCKET_PATH_DOC = "Path of a unix domain socket listener (socket_type=unix), "
            + "besides or instead of TCP. Empty for none. A stale socket file left by a crash is replaced.";
    public static final String MAX_LINE_BYTES = "ingest.max.line.bytes";
    private static final String MAX_LINE_BYTES_DOC = "Most bytes of one line ingest holds in memory per connection. "
            + "Lines up to audit.max.line.bytes go to the raw topic; longer ones up to this limit go whole to the "
            + "dead-letter topic (failure OVERSIZE); beyond it, the first audit.max.line.bytes bytes go to the "
            + "dead-letter topic as a truncation record that states the original length. No line is dropped silently.";
    public static final String MAX_CONNECTIONS = "ingest.max.connections";
    private static final String MAX_CONNECTIONS_DOC = "Most concurrent client connections. Vault opens one per audit "
            + "device per node. At the limit a new connection takes the place of the longest quiet one that has not "
            + "delivered an accepted line (peers outside ingest.allowed.cidrs first), so idle junk cannot lock Vault's "
            + "reconnect out; when every open connection has, the new one is closed at once and counted.";
    public static final String MAX_CONNECTIONS_PER_ADDRESS = "ingest.max.connections.per.address";
    private static final String MAX_CONNECTIONS_PER_ADDRESS_DOC = "Most concurrent connections from one peer address; "
            + "a further one takes the place of that address's least trusted, longest quiet connection (a node "
            + "reconnecting while its old connection is not yet seen dead gets in).";
    public static final String IDLE_TIMEOUT_MS = "ingest.idle.timeout.ms";
    private static final String IDLE_TIMEOUT_MS_DOC = "Close any connection that sent nothing for this long; 0 never "
            + "does. Off by default: Vault keeps one connection open however quiet it is, and its first write to a "
            + "connection closed by the peer can succeed locally and be lost. Untrusted connections have "
            + "ingest.first.line.timeout.ms instead.";
    public static final String FIRST_LINE_TIMEOUT_MS = "ingest.first.line.timeout.ms";
    private static final String FIRST_LINE_TIMEOUT_MS_DOC = "Close a connection that delivered no accepted line this "
            + "long after it was opened, unless its address delivered accepted lines before (Vault reopens its "
            + "connection on SIGHUP and may then stay quiet); 0 never does. Vault writes at once on a new connection.";
    public static final String LINE_TIMEOUT_MS = "ingest.line.timeout.ms";
    private static final String LINE_TIMEOUT_MS_DOC = "Close a connection whose current line is still unfinished this "
            + "long after its first byte (its bytes are counted as a discarded fragment); 0 never does. Vault writes a "
            + "line in one write and gives it up after its write_timeout (2 s), then sends it again on a new connection.";
    public static final String PARTIAL_LINES_MAX_BYTES = "ingest.partial.lines.max.bytes";
    private static final String PARTIAL_LINES_MAX_BYTES_DOC = "Heap all connections together may hold for lines not "
            + "finished yet (each one also at most ingest.max.line.bytes). When a line would exceed it, the largest "
            + "unfinished lines of less trusted connections are dropped with their connections first, then larger ones "
            + "of equally trusted connections, else the growing line's own connection is closed.";
    public static final String ALLOWED_CIDRS = "ingest.allowed.cidrs";
    private static final String ALLOWED_CIDRS_DOC = "Peer addresses whose lines are read as Vault's: CIDR blocks, IPv4 "
            + "or IPv6 (literal addresses, never names). A connection from elsewhere has its first line (at most 4 KiB) "
            + "kept on the dead-letter topic (failure PEER_REFUSED) and is closed. Unix socket peers are always "
            + "allowed (the socket file's permissions guard them). 0.0.0.0/0,::/0 allows every address.";
    public static final String AUTH_PREFIXES = "ingest.auth.prefixes";
    private static final String AUTH_PREFIXES_DOC = "name=prefix pairs, comma-separated: the prefix option of the "
            + "Vault socket audit device, used as a shared secret (16-256 printable ASCII characters without space, "
            + "comma, quote, backslash or brace). When set, a line must start with one of the prefixes; it is cut "
            + "off before the line goes anywhere and the entry's name is the line's auditrail.source.name header. "
            + "Other lines go, at most 4 KiB of each, to the dead-letter topic (failure PREFIX_REFUSED). A name may "
            + "repeat, for rotation. Empty: no prefix is checked (audit.prefix must then be empty here).";
    public static final String REFUSED_MAX_BYTES_PER_SECOND = "ingest.refused.max.bytes.per.second";
    private static final String REFUSED_MAX_BYTES_PER_SECOND_DOC = "Bytes of refused lines (PREFIX_REFUSED, "
            + "PEER_REFUSED) kept on the dead-letter topic per second, with a burst of one second's worth; beyond, "
            + "they are counted as records{outcome=dropped,reason=refused_over_rate}, so whoever sends them cannot fill the spool.";
    public static final String SPOOL_DIR = "ingest.spool.dir";
    private static final String SPOOL_DIR_DOC = "Directory of the durable spool between the sockets and Kafka "
            + "(one ingest process per directory; it is locked).";
    public static final String SPOOL_MAX_BYTES = "ingest.spool.max.bytes";
    private static final String SPOOL_MAX_BYTES_DOC = "Disk the spool may use while Kafka is slow or unreachable; "
            + "when reached, ingest.spool.full.policy applies. At least twice ingest.max.line.bytes.";
    public static final String SPOOL_SEGMENT_BYTES = "ingest.spool.segment.bytes";
    private static final String SPOOL_SEGMENT_BYTES_DOC = "Size at which the spool starts a new segment file; a "
            + "segment is done once Kafka acknowledged all of it: its file is kept for reuse (ingest.spool.reuse.bytes) "
            + "or deleted.";
    public static final String SPOOL_REUSE_BYTES = "ingest.spool.reuse.bytes";
    private static final String SPOOL_REUSE_BYTES_DOC = "Done segment files kept, up to this many bytes, to be "
            + "written over as later segments: writing into file pages the system already holds costs a fraction of "
            + "new ones (bench/RESULTS.md, Ingest). Disk and page cache beyond ingest.spool.max.bytes; 0 deletes them.";
    public static final String SPOOL_FULL_POLICY = "ingest.spool.full.policy";
    private static final String SPOOL_FULL_POLICY_DOC = "When the spool is full: 'block' stops reading from Vault "
            + "until Kafka drains it (nothing read is lost; Vault's writes time out and Vault reports the failure), "
            + "'reject' keeps reading and drops what does not fit, counted as dropped{reason=spool_full}.";
    public static final String SPOOL_FSYNC = "ingest.spool.fsync";
    private static final String SPOOL_FSYNC_DOC = "When spooled lines are forced to disk: 'never', 'interval' (every "
            + "ingest.spool.fsync.interval.ms) or 'always' (each batch read from the sockets, before reading more). "
            + "Every policy survives a killed process; they differ on a power loss.";
    public static final String SPOOL_FSYNC_INTERVAL_MS = "ingest.spool.fsync.interval.ms";
    private static final String SPOOL_FSYNC_INTERVAL_MS_DOC = "fsync period of the 'interval' policy.";
    public static final String SHUTDOWN_DRAIN_TIMEOUT_MS = "ingest.shutdown.drain.timeout.ms";
    private static final String SHUTDOWN_DRAIN_TIMEOUT_MS_DOC = "On shutdown, how long to keep sending spooled lines "
            + "to Kafka; what is left stays in the spool and is sent on the next start.";
    public static final String PRODUCER_COMPRESSION_TYPE = "ingest.producer.compression.type";
    private static final String PRODUCER_COMPRESSION_TYPE_DOC = "Compression of the ingest producer's batches.";
    public static final String PRODUCER_BATCH_BYTES = "ingest.producer.batch.bytes";
    private static final String PRODUCER_BATCH_BYTES_DOC = "The producer's batch.size for the raw topic.";
    public static final String PRODUCER_LINGER_MS = "ingest.producer.linger.ms";
    private static final String PRODUCER_LINGER_MS_DOC = "The producer's linger.ms.";
    public static final String PRODUCER_BUFFER_BYTES = "ingest.producer.buffer.bytes";
    private static final String PRODUCER_BUFFER_BYTES_DOC = "The producer's buffer.memory: records sent but not yet "
            + "acknowledged; they stay in the spool too, so this bounds heap, not safety.";
    public static final String PRODUCER_DELIVERY_TIMEOUT_MS = "ingest.producer.delivery.timeout.ms";
    private static final String PRODUCER_DELIVERY_TIMEOUT_MS_DOC = "The producer's delivery.timeout.ms. A record "
            + "that times out is sent again from the spool (a duplicate at worst, never a loss).";

    /** Room for the headers and batch framing around the longest record. */
    static final int RECORD_OVERHEAD_BYTES = 64 << 10;

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(LISTEN_ADDRESS, Type.STRING, "127.0.0.1:9090", Importance.HIGH, LISTEN_ADDRESS_DOC)
            .define(UNIX_SOCKET_PATH, Type.STRING, "", Importance.MEDIUM, UNIX_SOCKET_PATH_DOC)
            .define(MAX_LINE_BYTES, Type.INT, 8 << 20, Range.between(1024, 256 << 20), Importance.MEDIUM,
                    MAX_LINE_BYTES_DOC)
            .define(MAX_CONNECTIONS, Type.INT, 1024, Range.atLeast(1), Importance.LOW, MAX_CONNECTIONS_DOC)
            .define(MAX_CONNECTIONS_PER_ADDRESS, Type.INT, 8, Range.atLeast(1), Importance.LOW,
                    MAX_CONNECTIONS_PER_ADDRESS_DOC)
            .define(IDLE_TIMEOUT_MS, Type.LONG, 0L, Range.atLeast(0), Importance.LOW, IDLE_TIMEOUT_MS_DOC)
            .define(FIRST_LINE_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    FIRST_LINE_TIMEOUT_MS_DOC)
            .define(LINE_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(0), Importance.LOW, LINE_TIMEOUT_MS_DOC)
            .define(PARTIAL_LINES_MAX_BYTES, Type.LONG, 64L << 20, Range.atLeast(1L << 20), Importance.MEDIUM,
                    PARTIAL_LINES_MAX_BYTES_DOC)
            .define(ALLOWED_CIDRS, Type.LIST, List.of("127.0.0.0/8", "::1/128"), Importance.HIGH, ALLOWED_CIDRS_DOC)
            .define(AUTH_PREFIXES, Type.PASSWORD, "", Importance.HIGH, AUTH_PREFIXES_DOC)
            .define(REFUSED_MAX_BYTES_PER_SECOND, Type.LONG, 64L << 10,
                    Range.atLeast((long) SocketAuditReceiver.REFUSED_HEAD_BYTES), Importance.LOW,
                    REFUSED_MAX_BYTES_PER_SECOND_DOC)
            .define(SPOOL_DIR, Type.STRING, "auditrail-data/ingest-spool", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SPOOL_DIR_DOC)
            .define(SPOOL_MAX_BYTES, Type.LONG, 8L << 30, Range.atLeast(1L << 20), Importance.HIGH, SPOOL_MAX_BYTES_DOC)
            .define(SPOOL_SEGMENT_BYTES, Type.INT, 64 << 20, Range.atLeast(64 << 10), Importance.LOW,
                    SPOOL_SEGMENT_BYTES_DOC)
            .define(SPOOL_REUSE_BYTES, Type.LONG, 1L << 30, Range.atLeast(0), Importance.LOW, SPOOL_REUSE_BYTES_DOC)
            .define(SPOOL_FULL_POLICY, Type.STRING, SpoolFullPolicy.BLOCK.configValue(), values(SpoolFullPolicy.values()),
                    Importance.HIGH, SPOOL_FULL_POLICY_DOC)
            .define(SPOOL_FSYNC, Type.STRING, SpoolFsyncPolicy.INTERVAL.configValue(),
                    values(SpoolFsyncPolicy.values()), Importance.MEDIUM, SPOOL_FSYNC_DOC)
            .define(SPOOL_FSYNC_INTERVAL_MS, Type.LONG, 1000L, Range.atLeast(1), Importance.LOW,
                    SPOOL_FSYNC_INTERVAL_MS_DOC)
            .define(SHUTDOWN_DRAIN_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(0), Importance.LOW,
                    SHUTDOWN_DRAIN_TIMEOUT_MS_DOC)
            .define(PRODUCER_COMPRESSION_TYPE, Type.STRING, "lz4", ValidString.in("none", "gzip", "snappy", "lz4", "zstd"),
                    Importance.LOW, PRODUCER_COMPRESSION_TYPE_DOC)
            .define(PRODUCER_BATCH_BYTES, Type.INT, 1 << 20, Range.atLeast(16 << 10), Importance.LOW,
                    PRODUCER_BATCH_BYTES_DOC)
            .define(PRODUCER_LINGER_MS, Type.INT, 5, Range.atLeast(0), Importance.LOW, PRODUCER_LINGER_MS_DOC)
            .define(PRODUCER_BUFFER_BYTES, Type.LONG, 64L << 20, Range.atLeast(1L << 20), Importance.LOW,
                    PRODUCER_BUFFER_BYTES_DOC)
            .define(PRODUCER_DELIVERY_TIMEOUT_MS, Type.INT, 120_000, Range.atLeast(1000), Importance.LOW,
                    PRODUCER_DELIVERY_TIMEOUT_MS_DOC);

    private final CoreConfig core;
    private final Map<String, Object> kafkaPassThrough;
    private final PeerAllowlist allowlist;
    private final AuditPrefixes prefixes;

    public IngestConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        this.core = new CoreConfig(settings);
        this.kafkaPassThrough = settings.kafkaClientProperties();
        try {
            this.allowlist = PeerAllowlist.parse(getList(ALLOWED_CIDRS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ALLOWED_CIDRS, getList(ALLOWED_CIDRS), e.getMessage());
        }
        try {
            this.prefixes = AuditPrefixes.parse(getPassword(AUTH_PREFIXES).value());
        } catch (IllegalArgumentException e) {
            // the value is a secret: the message names the entry, the exception shows [hidden]
            throw new ConfigException(AUTH_PREFIXES, getPassword(AUTH_PREFIXES), e.getMessage());
        }
        if (!prefixes.isEmpty() && !auditPrefix().isEmpty()) {
            throw new ConfigException(CoreConfig.AUDIT_PREFIX, auditPrefix(), "must be empty when " + AUTH_PREFIXES
                    + " is set: Vault writes one prefix, which ingest checks and removes");
        }
        if (partialLinesMaxBytes() < maxLineBytes()) {
            throw new ConfigException(PARTIAL_LINES_MAX_BYTES, partialLinesMaxBytes(), "must hold at least one "
                    + "longest line (" + MAX_LINE_BYTES + " = " + maxLineBytes() + ")");
        }
        if (listenAddress().isEmpty() && unixSocketPath().isEmpty()) {
            throw new ConfigException(LISTEN_ADDRESS, "", "no listener: set it or " + UNIX_SOCKET_PATH);
        }
        if (maxLineBytes() < rawMaxLineBytes()) {
            throw new ConfigException(MAX_LINE_BYTES, maxLineBytes(),
                    "must be at least " + CoreConfig.AUDIT_MAX_LINE_BYTES + " (" + rawMaxLineBytes() + ")");
        }
        if (spoolMaxBytes() < 2L * (maxLineBytes() + RECORD_OVERHEAD_BYTES)) {
            throw new ConfigException(SPOOL_MAX_BYTES, spoolMaxBytes(), "must hold at least two of the longest lines ("
                    + MAX_LINE_BYTES + " = " + maxLineBytes() + ")");
        }
    }

    private static ConfigDef.Validator values(Enum<?>[] constants) {
        return ValidString.in(Arrays.stream(constants).map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                .toArray(String[]::new));
    }

    public CoreConfig core() {
        return core;
    }

    public Topics topics() {
        return core.topics();
    }

    /** The TCP listener address, empty when TCP is disabled. */
    public Optional<InetSocketAddress> listenAddress() {
        String value = getString(LISTEN_ADDRESS).trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(LISTEN_ADDRESS, value, "expected host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new ConfigException(LISTEN_ADDRESS, value, "port out of range");
            }
            return Optional.of(new InetSocketAddress(host, port));
        } catch (NumberFormatException e) {
            throw new ConfigException(LISTEN_ADDRESS, value, "expected host:port");
        }
    }

    public Optional<Path> unixSocketPath() {
        String value = getString(UNIX_SOCKET_PATH).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /** Longest line that goes to the raw topic: the shared {@code audit.max.line.bytes} the parser also applies. */
    public int rawMaxLineBytes() {
        return core.getInt(CoreConfig.AUDIT_MAX_LINE_BYTES);
    }

    public int maxLineBytes() {
        return getInt(MAX_LINE_BYTES);
    }

    public String auditPrefix() {
        return core.getString(CoreConfig.AUDIT_PREFIX);
    }

    public int maxConnections() {
        return getInt(MAX_CONNECTIONS);
    }

    public int maxConnectionsPerAddress() {
        return getInt(MAX_CONNECTIONS_PER_ADDRESS);
    }

    /** Zero when untrusted connections may stay quiet for ever. */
    public Duration firstLineTimeout() {
        return Duration.ofMillis(getLong(FIRST_LINE_TIMEOUT_MS));
    }

    /** Zero when a line may take for ever. */
    public Duration lineTimeout() {
        return Duration.ofMillis(getLong(LINE_TIMEOUT_MS));
    }

    public long partialLinesMaxBytes() {
        return getLong(PARTIAL_LINES_MAX_BYTES);
    }

    public PeerAllowlist allowedPeers() {
        return allowlist;
    }

    /** The prefixes a line must carry; {@link AuditPrefixes#isEmpty()} when none is checked. */
    public AuditPrefixes authPrefixes() {
        return prefixes;
    }

    public long refusedMaxBytesPerSecond() {
        return getLong(REFUSED_MAX_BYTES_PER_SECOND);
    }

    /** Zero when connections are never closed for idleness. */
    public Duration idleTimeout() {
        return Duration.ofMillis(getLong(IDLE_TIMEOUT_MS));
    }

    public Path spoolDir() {
        return Path.of(getString(SPOOL_DIR));
    }

    public long spoolMaxBytes() {
        return getLong(SPOOL_MAX_BYTES);
    }

    /** Done segment files kept for reuse: {@code ingest.spool.reuse.bytes} in whole segments. */
    public int spoolReuseSegments() {
        return (int) Math.min(Integer.MAX_VALUE, getLong(SPOOL_REUSE_BYTES) / spoolSegmentBytes());
    }

    public int spoolSegmentBytes() {
        return getInt(SPOOL_SEGMENT_BYTES);
    }

    public SpoolFullPolicy spoolFullPolicy() {
        return SpoolFullPolicy.of(getString(SPOOL_FULL_POLICY));
    }

    public SpoolFsyncPolicy spoolFsync() {
        return SpoolFsyncPolicy.of(getString(SPOOL_FSYNC));
    }

    public Duration spoolFsyncInterval() {
        return Duration.ofMillis(getLong(SPOOL_FSYNC_INTERVAL_MS));
    }

    public Duration shutdownDrainTimeout() {
        return Duration.ofMillis(getLong(SHUTDOWN_DRAIN_TIMEOUT_MS));
    }

    /** Largest record the producer and the topics this stage creates must accept. */
    public int maxRecordBytes() {
        return maxLineBytes() + RECORD_OVERHEAD_BYTES;
    }

    /**
     * Producer settings: safe defaults, then any {@code kafka.*} pass-through, then this stage's own keys; the
     * delivery guarantees (idempotence, acks=all) are not negotiable and always win.
     */
    public Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "auditrail-ingest");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.putAll(kafkaPassThrough);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, getString(PRODUCER_COMPRESSION_TYPE));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, getInt(PRODUCER_BATCH_BYTES));
        p.put(ProducerConfig.LINGER_MS_CONFIG, getInt(PRODUCER_LINGER_MS));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(getLong(PRODUCER_BUFFER_BYTES), 2L * maxRecordBytes()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, getInt(PRODUCER_DELIVERY_TIMEOUT_MS));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, getInt(PRODUCER_DELIVERY_TIMEOUT_MS) / 2));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** The topics ingest writes, raw and DLQ, sized for the longest record it may send. */
    public List<TopicBootstrap.Spec> topicSpecs() {
        return TopicBootstrap.pipeline(topics(), maxRecordBytes()).stream()
                .filter(t -> t.name().equals(topics().raw()) || t.name().equals(topics().dlq()))
                .toList();
    }

    /** Admin client settings for creating the topics: the pass-through plus the bootstrap servers. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>(kafkaPassThrough);
        p.put("bootstrap.servers", core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put("client.id", "auditrail-ingest-admin");
        return p;
    }
}
