package io.auditrail.alerts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.PostgresLogin;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The alerts stage's settings: the targets file, its consumer group, retries, throttling and its PostgreSQL pool. */
public final class AlertsConfig extends AbstractConfig {
    public static final String TARGETS_FILE = "alerts.targets.file";
    private static final String TARGETS_FILE_DOC = "JSON file of alert targets and routes (docs/ALERTS.md). Empty: "
            + "no targets, every anomaly is counted as unrouted.";
    public static final String CONSUMER_GROUP = "alerts.consumer.group";
    private static final String CONSUMER_GROUP_DOC = "Kafka consumer group of the alerts stage; an offset is "
            + "committed only once every matched target delivered the anomaly or gave up on it with a recorded reason.";
    public static final String RETRY_BACKOFF_INITIAL_MS = "alerts.retry.backoff.initial.ms";
    private static final String RETRY_BACKOFF_INITIAL_MS_DOC = "Wait before the first retry of a failed delivery; "
            + "it doubles per consecutive failure of the target, with equal jitter (a wait in [base/2, base]).";
    public static final String RETRY_BACKOFF_MAX_MS = "alerts.retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two attempts on a target (also caps "
            + "a Retry-After the target asks for).";
    public static final String GIVE_UP_AFTER_MS = "alerts.give.up.after.ms";
    private static final String GIVE_UP_AFTER_MS_DOC = "A delivery not done this long after it was queued is given up "
            + "on (status gave_up, with the last error).";
    public static final String THROTTLE_WINDOW_MS = "alerts.throttle.window.ms";
    private static final String THROTTLE_WINDOW_MS_DOC = "Per rule and actor, the first anomaly pages; further "
            + "anomalies within this window are counted (status throttled) and their number is folded into the next "
            + "alert sent for that rule and actor. 0 disables throttling.";
    public static final String HTTP_TIMEOUT_MS = "alerts.http.timeout.ms";
    private static final String HTTP_TIMEOUT_MS_DOC = "Connect and response timeout of one delivery attempt.";
    public static final String TARGET_QUEUE_MAX = "alerts.target.queue.max";
    private static final String TARGET_QUEUE_MAX_DOC = "Deliveries waiting per target at most; a delivery to a target "
            + "whose queue is full is given up on at once (reason: queue full), so a dead target cannot hold the others.";
    public static final String MAX_PENDING_RECORDS = "alerts.max.pending.records";
    private static final String MAX_PENDING_RECORDS_DOC = "Consumed records whose offsets are not committed yet, at "
            + "most; beyond it the stage stops polling until deliveries finish.";
    public static final String ALLOW_PLAIN_HTTP = "alerts.allow.plain.http";
    private static final String ALLOW_PLAIN_HTTP_DOC = "Accept http:// target URLs for hosts other than loopback "
            + "(127.0.0.0/8, ::1, localhost). Off by default: a Slack webhook URL is itself a credential, and the body "
            + "describes who touched which secret, so both would cross the network in the clear.";
    public static final String POSTGRES_USER = "alerts.postgres.user";
    private static final String POSTGRES_USER_DOC = "PostgreSQL user the alerts stage records deliveries as: a member "
            + "of auditrail_alerts, which may touch alert_delivery and nothing else (docs/SECURITY.md). Empty: "
            + "postgres.user.";
    public static final String POSTGRES_PASSWORD = "alerts.postgres.password";
    private static final String POSTGRES_PASSWORD_DOC = "Password of alerts.postgres.user (empty for trust or "
            + "certificate authentication); postgres.password is never used for it.";
    public static final String POSTGRES_POOL_SIZE = "alerts.postgres.pool.size";
    private static final String POSTGRES_POOL_SIZE_DOC = "Connections to PostgreSQL (delivery records and dedupe "
            + "look-ups); the server is postgres.url, the user alerts.postgres.user.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(TARGETS_FILE, Type.STRING, "", Importance.HIGH, TARGETS_FILE_DOC)
            .define(CONSUMER_GROUP, Type.STRING, "auditrail-alerts", new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, CONSUMER_GROUP_DOC)
            .define(RETRY_BACKOFF_INITIAL_MS, Type.LONG, 500L, Range.between(1, 600_000), Importance.LOW,
                    RETRY_BACKOFF_INITIAL_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 60_000L, Range.between(1, 3_600_000), Importance.LOW,
                    RETRY_BACKOFF_MAX_MS_DOC)
            .define(GIVE_UP_AFTER_MS, Type.LONG, 900_000L, Range.between(1, 86_400_000), Importance.MEDIUM,
                    GIVE_UP_AFTER_MS_DOC)
            .define(THROTTLE_WINDOW_MS, Type.LONG, 600_000L, Range.between(0, 86_400_000), Importance.MEDIUM,
                    THROTTLE_WINDOW_MS_DOC)
            .define(HTTP_TIMEOUT_MS, Type.LONG, 10_000L, Range.between(100, 300_000), Importance.LOW,
                    HTTP_TIMEOUT_MS_DOC)
            .define(TARGET_QUEUE_MAX, Type.INT, 1000, Range.between(1, 1_000_000), Importance.LOW,
                    TARGET_QUEUE_MAX_DOC)
            .define(MAX_PENDING_RECORDS, Type.INT, 10_000, Range.between(1, 10_000_000), Importance.LOW,
                    MAX_PENDING_RECORDS_DOC)
            .define(ALLOW_PLAIN_HTTP, Type.BOOLEAN, false, Importance.MEDIUM, ALLOW_PLAIN_HTTP_DOC)
            .define(POSTGRES_USER, Type.STRING, "", Importance.HIGH, POSTGRES_USER_DOC)
            .define(POSTGRES_PASSWORD, Type.PASSWORD, "", Importance.HIGH, POSTGRES_PASSWORD_DOC)
            .define(POSTGRES_POOL_SIZE, Type.INT, 3, Range.between(2, 64), Importance.LOW, POSTGRES_POOL_SIZE_DOC);

    private final CoreConfig core;
    private final Map<String, Object> kafkaPassThrough;

    public AlertsConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        this.core = new CoreConfig(settings);
        this.kafkaPassThrough = settings.kafkaClientProperties();
        if (retryBackoffInitial().compareTo(retryBackoffMax()) > 0) {
            throw new ConfigException(RETRY_BACKOFF_INITIAL_MS, getLong(RETRY_BACKOFF_INITIAL_MS),
                    "must not exceed " + RETRY_BACKOFF_MAX_MS + " (" + getLong(RETRY_BACKOFF_MAX_MS) + ")");
        }
    }

    public Topics topics() {
        return core.topics();
    }

    /** Null when no targets file is configured. */
    public Path targetsFile() {
        String f = getString(TARGETS_FILE).trim();
        return f.isEmpty() ? null : Path.of(f);
    }

    public String consumerGroup() {
        return getString(CONSUMER_GROUP);
    }

    public Duration retryBackoffInitial() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_INITIAL_MS));
    }

    public Duration retryBackoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    public Duration giveUpAfter() {
        return Duration.ofMillis(getLong(GIVE_UP_AFTER_MS));
    }

    /** Zero when throttling is off. */
    public Duration throttleWindow() {
        return Duration.ofMillis(getLong(THROTTLE_WINDOW_MS));
    }

    public Duration httpTimeout() {
        return Duration.ofMillis(getLong(HTTP_TIMEOUT_MS));
    }

    /** Whether http:// targets on non-loopback hosts are accepted. */
    public boolean allowPlainHttp() {
        return getBoolean(ALLOW_PLAIN_HTTP);
    }

    public int targetQueueMax() {
        return getInt(TARGET_QUEUE_MAX);
    }

    public int maxPendingRecords() {
        return getInt(MAX_PENDING_RECORDS);
    }

    /** A pool that starts while PostgreSQL is down (the stage retries) and never logs the password. */
    public HikariDataSource pool() {
        HikariConfig c = new HikariConfig();
        c.setPoolName("auditrail-alerts");
        c.setJdbcUrl(core.getString(CoreConfig.POSTGRES_URL));
        PostgresLogin login = PostgresLogin.of(core, getString(POSTGRES_USER), getPassword(POSTGRES_PASSWORD));
        c.setUsername(login.user());
        String password = login.password();
        if (password != null && !password.isEmpty()) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(getInt(POSTGRES_POOL_SIZE));
        c.setMinimumIdle(1);
        c.setConnectionTimeout(5_000);
        c.setValidationTimeout(5_000);
        c.setInitializationFailTimeout(-1);
        c.addDataSourceProperty("ApplicationName", "auditrail-alerts");
        c.addDataSourceProperty("connectTimeout", "5");
        c.addDataSourceProperty("socketTimeout", "30");
        return new HikariDataSource(c);
    }

    /**
     * Consumer settings: the {@code kafka.*} pass-through, then what the stage's guarantee needs and always wins:
     * offsets committed by the stage once deliveries finished, only committed transactions read (streams writes
     * anomalies exactly-once).
     */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "auditrail-alerts");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.putAll(kafkaPassThrough);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Admin client settings for creating missing topics. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>(kafkaPassThrough);
        p.put("bootstrap.servers", core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put("client.id", "auditrail-alerts-admin");
        return p;
    }

    /** Largest record the topics this stage may create must accept. */
    public int maxRecordBytes() {
        return core.maxRecordBytes();
    }
}
