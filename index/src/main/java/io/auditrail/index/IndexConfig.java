package io.auditrail.index;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.PostgresLogin;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The index stage's settings: its consumer group, batching, retention, and the PostgreSQL pool. */
public final class IndexConfig extends AbstractConfig {
    public static final String CONSUMER_GROUP = "index.consumer.group";
    private static final String CONSUMER_GROUP_DOC = "Kafka consumer group of the index stage; its committed offsets "
            + "are the position of the index (committed only after the database commit).";
    public static final String BATCH_MAX_RECORDS = "index.batch.max.records";
    private static final String BATCH_MAX_RECORDS_DOC = "Records written to PostgreSQL in one transaction at most.";
    public static final String BATCH_MAX_BYTES = "index.batch.max.bytes";
    private static final String BATCH_MAX_BYTES_DOC = "Record value bytes held in one batch at most.";
    public static final String BATCH_MAX_DELAY_MS = "index.batch.max.delay.ms";
    private static final String BATCH_MAX_DELAY_MS_DOC = "Longest a record waits in a batch before the batch is "
            + "written, so quiet traffic is still queryable quickly.";
    public static final String RETENTION_DAYS = "index.retention.days";
    private static final String RETENTION_DAYS_DOC = "Days of events kept: the partitions of days before today "
            + "minus this many days (UTC) are dropped, and late events for those days are counted and skipped.";
    public static final String PARTITIONS_AHEAD_DAYS = "index.partitions.ahead.days";
    private static final String PARTITIONS_AHEAD_DAYS_DOC = "Day partitions created ahead of today. Events dated "
            + "later than today plus this many days go to the dead-letter topic (TIME_OUT_OF_RANGE).";
    public static final String RETENTION_INTERVAL_MS = "index.retention.interval.ms";
    private static final String RETENTION_INTERVAL_MS_DOC = "How often the index stage runs retention (create "
            + "partitions ahead, drop expired ones); it also runs once at start. 0 disables it (then run "
            + "'auditrail retention' from cron).";
    public static final String RETRY_BACKOFF_MAX_MS = "index.retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between attempts while PostgreSQL or Kafka "
            + "is unreachable; the wait doubles from 100 ms up to this, with equal jitter. Nothing is skipped meanwhile.";
    public static final String MIGRATE_ON_START = "index.migrate.on.start";
    private static final String MIGRATE_ON_START_DOC = "Apply pending Flyway migrations when the index stage "
            + "starts (as 'auditrail migrate' does, as the schema's owner postgres.user). Turn off where schema changes "
            + "are rolled out separately, and wherever the index runs with a role of its own (index.postgres.user) and "
            + "without the owner's password.";
    public static final String POSTGRES_USER = "index.postgres.user";
    private static final String POSTGRES_USER_DOC = "PostgreSQL user the index stage (and 'auditrail retention') "
            + "writes as: a member of auditrail_index, which may add events and anomalies and manage day partitions, "
            + "nothing else (docs/SECURITY.md). Empty: postgres.user.";
    public static final String POSTGRES_PASSWORD = "index.postgres.password";
    private static final String POSTGRES_PASSWORD_DOC = "Password of index.postgres.user (empty for trust or "
            + "certificate authentication); postgres.password is never used for it.";
    public static final String WRITER_CONNECTIONS = "index.writer.connections";
    private static final String WRITER_CONNECTIONS_DOC = "Connections that write one batch of events at once, each a "
            + "slice of it (by event id) in its own transaction; a batch under 500 rows per connection uses one. "
            + "COPY keeps one PostgreSQL core busy per connection: more than the database server's cores gains nothing.";
    public static final String POSTGRES_POOL_SIZE = "index.postgres.pool.size";
    private static final String POSTGRES_POOL_SIZE_DOC = "Connections the index stage keeps to PostgreSQL (one "
            + "per writer connection, retention, spare); raised to index.writer.connections + 2 when smaller.";
    public static final String POSTGRES_CONNECT_TIMEOUT_MS = "index.postgres.connect.timeout.ms";
    private static final String POSTGRES_CONNECT_TIMEOUT_MS_DOC = "How long to wait for a connection before the "
            + "attempt counts as failed and is retried after a back-off.";
    public static final String POSTGRES_SOCKET_TIMEOUT_MS = "index.postgres.socket.timeout.ms";
    private static final String POSTGRES_SOCKET_TIMEOUT_MS_DOC = "A database call silent for this long is abandoned "
            + "and retried (a hung server, a dropped network path); 0 waits forever.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(CONSUMER_GROUP, Type.STRING, "auditrail-index", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    CONSUMER_GROUP_DOC)
            .define(BATCH_MAX_RECORDS, Type.INT, 5000, Range.between(1, 1_000_000), Importance.MEDIUM,
                    BATCH_MAX_RECORDS_DOC)
            .define(BATCH_MAX_BYTES, Type.INT, 16 << 20, Range.atLeast(64 << 10), Importance.LOW,
                    BATCH_MAX_BYTES_DOC)
            .define(BATCH_MAX_DELAY_MS, Type.LONG, 250L, Range.between(0, 60_000), Importance.MEDIUM,
                    BATCH_MAX_DELAY_MS_DOC)
            .define(RETENTION_DAYS, Type.INT, 90, Range.between(1, 36_500), Importance.HIGH, RETENTION_DAYS_DOC)
            .define(PARTITIONS_AHEAD_DAYS, Type.INT, 7, Range.between(1, 366), Importance.LOW,
                    PARTITIONS_AHEAD_DAYS_DOC)
            .define(RETENTION_INTERVAL_MS, Type.LONG, 3_600_000L, Range.atLeast(0), Importance.LOW,
                    RETENTION_INTERVAL_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(100), Importance.LOW,
                    RETRY_BACKOFF_MAX_MS_DOC)
            .define(MIGRATE_ON_START, Type.BOOLEAN, true, Importance.MEDIUM, MIGRATE_ON_START_DOC)
            .define(WRITER_CONNECTIONS, Type.INT, 2, Range.between(1, 16), Importance.LOW, WRITER_CONNECTIONS_DOC)
            .define(POSTGRES_USER, Type.STRING, "", Importance.HIGH, POSTGRES_USER_DOC)
            .define(POSTGRES_PASSWORD, Type.PASSWORD, "", Importance.HIGH, POSTGRES_PASSWORD_DOC)
            .define(POSTGRES_POOL_SIZE, Type.INT, 4, Range.between(2, 64), Importance.LOW, POSTGRES_POOL_SIZE_DOC)
            .define(POSTGRES_CONNECT_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(250), Importance.LOW,
                    POSTGRES_CONNECT_TIMEOUT_MS_DOC)
            .define(POSTGRES_SOCKET_TIMEOUT_MS, Type.LONG, 60_000L, Range.atLeast(0), Importance.LOW,
                    POSTGRES_SOCKET_TIMEOUT_MS_DOC);

    private final CoreConfig core;
    private final Map<String, Object> kafkaPassThrough;

    public IndexConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        this.core = new CoreConfig(settings);
        this.kafkaPassThrough = settings.kafkaClientProperties();
    }

    public Topics topics() {
        return core.topics();
    }

    public String consumerGroup() {
        return getString(CONSUMER_GROUP);
    }

    public int batchMaxRecords() {
        return getInt(BATCH_MAX_RECORDS);
    }

    public int batchMaxBytes() {
        return getInt(BATCH_MAX_BYTES);
    }

    public Duration batchMaxDelay() {
        return Duration.ofMillis(getLong(BATCH_MAX_DELAY_MS));
    }

    public int retentionDays() {
        return getInt(RETENTION_DAYS);
    }

    public int partitionsAheadDays() {
        return getInt(PARTITIONS_AHEAD_DAYS);
    }

    /** Zero when the stage does not run retention itself. */
    public Duration retentionInterval() {
        return Duration.ofMillis(getLong(RETENTION_INTERVAL_MS));
    }

    public Duration retryBackoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    public boolean migrateOnStart() {
        return getBoolean(MIGRATE_ON_START);
    }

    public RetentionPolicy retentionPolicy() {
        return new RetentionPolicy(retentionDays(), partitionsAheadDays());
    }

    /** Largest record value the topics this stage creates must accept (events and dead letters). */
    public int maxRecordBytes() {
        return core.maxRecordBytes();
    }

    public int writerConnections() {
        return getInt(WRITER_CONNECTIONS);
    }

    /** Where and as whom the stage writes: index.postgres.user, else postgres.user. */
    public PostgresSettings postgres() {
        return postgres(PostgresLogin.of(core, getString(POSTGRES_USER), getPassword(POSTGRES_PASSWORD)));
    }

    /** As the schema's owner (postgres.user): what migrations need. */
    public PostgresSettings owner() {
        return postgres(PostgresLogin.owner(core));
    }

    private PostgresSettings postgres(PostgresLogin login) {
        return new PostgresSettings(core.getString(CoreConfig.POSTGRES_URL), login.user(), login.password(),
                Math.max(getInt(POSTGRES_POOL_SIZE), writerConnections() + 2),
                Duration.ofMillis(getLong(POSTGRES_CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(getLong(POSTGRES_SOCKET_TIMEOUT_MS)));
    }

    /**
     * Consumer settings: the {@code kafka.*} pass-through, then what the stage's guarantees need and always win:
     * offsets committed by the stage after the database commit, and only committed transactions read (the streams
     * stage writes events and anomalies exactly-once, in transactions).
     */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "auditrail-index");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(kafkaPassThrough);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchMaxRecords());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The dead-letter producer: idempotent, acks=all; the stage waits for its acks before committing offsets. */
    public Map<String, Object> dlqProducerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "auditrail-index-dlq");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.putAll(kafkaPassThrough);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Admin client settings for creating missing topics: the pass-through plus the bootstrap servers. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>(kafkaPassThrough);
        p.put("bootstrap.servers", core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put("client.id", "auditrail-index-admin");
        return p;
    }
}
