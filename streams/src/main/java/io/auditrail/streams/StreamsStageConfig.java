package io.auditrail.streams;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.streams.rules.RuleBook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The streams stage's settings ({@code streams.*}); with {@link CoreConfig} for Kafka and topics. Any other
 * {@code kafka.*} key reaches the Kafka Streams client with the prefix removed ({@code kafka.producer.linger.ms}).
 */
public final class StreamsStageConfig extends AbstractConfig {
    public static final String APPLICATION_ID = "streams.application.id";
    private static final String APPLICATION_ID_DOC = "Kafka Streams application id: the consumer group, and the prefix "
            + "of the internal changelog and repartition topics. Instances with the same id share the work.";
    public static final String STATE_DIR = "streams.state.dir";
    private static final String STATE_DIR_DOC = "Local directory of the state stores (pairing, rule state); a cache "
            + "of the changelog topics, rebuilt from them when lost.";
    public static final String COMMIT_INTERVAL_MS = "streams.commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "How often a transaction commits (exactly-once): the floor "
            + "of the latency from raw line to committed event.";
    public static final String NUM_THREADS = "streams.num.threads";
    private static final String NUM_THREADS_DOC = "Stream threads of this instance.";
    public static final String PAIRING_TIMEOUT_MS = "streams.pairing.timeout.ms";
    private static final String PAIRING_TIMEOUT_MS_DOC = "How long the first of a request and its response waits "
            + "for the other (wall clock, from its arrival at the streams stage; a restart starts the count again). "
            + "Either may come first; one still alone after this long is released on its own: a request as "
            + "unanswered (raises audit_gap), a response as response_only.";
    public static final String PAIRING_SWEEP_INTERVAL_MS = "streams.pairing.sweep.interval.ms";
    private static final String PAIRING_SWEEP_INTERVAL_MS_DOC = "How often (wall clock) waiting entries are "
            + "checked against the pairing timeout: one is released at most this long after its timeout, whether "
            + "traffic flows or not.";
    public static final String DETECT_LATENESS_MS = "streams.detect.lateness.ms";
    private static final String DETECT_LATENESS_MS_DOC = "How far behind the newest event time seen an event may "
            + "arrive and still count in its windows. Events of one actor come from different raw partitions, which "
            + "progress at different speeds (most of all while catching up on a backlog); windows and merges close "
            + "only this long after event time passed them.";
    public static final String DETECT_SWEEP_INTERVAL_MS = "streams.detect.sweep.interval.ms";
    private static final String DETECT_SWEEP_INTERVAL_MS_DOC = "How often (event time) merge windows are closed "
            + "and expired rule state is dropped. While no event arrives for this long (wall clock), event time is "
            + "taken to run on with the wall clock, so the last windows close and final revisions appear without "
            + "further traffic.";
    public static final String TENANT_REFRESH_INTERVAL_MS = "streams.tenant.refresh.interval.ms";
    private static final String TENANT_REFRESH_INTERVAL_MS_DOC = "How often (wall clock) the entity-to-tenant index "
            + "is rebuilt from the tenant directory table; directory changes apply within this interval.";
    public static final String RULES_FILE = "streams.rules.file";
    private static final String RULES_FILE_DOC = "Rules file (properties; docs/ANOMALIES.md); empty for the shipped "
            + "defaults. The CLI's --rules sets it.";
    public static final String STARTUP_TIMEOUT_MS = "streams.startup.timeout.ms";
    private static final String STARTUP_TIMEOUT_MS_DOC = "How long start-up waits for Kafka to create or describe "
            + "the topics before it gives up.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(APPLICATION_ID, Type.STRING, "auditrail-streams", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    APPLICATION_ID_DOC)
            .define(STATE_DIR, Type.STRING, System.getProperty("java.io.tmpdir") + "/auditrail-streams",
                    new ConfigDef.NonEmptyString(), Importance.HIGH, STATE_DIR_DOC)
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(10L), Importance.MEDIUM, COMMIT_INTERVAL_MS_DOC)
            .define(NUM_THREADS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, NUM_THREADS_DOC)
            .define(PAIRING_TIMEOUT_MS, Type.LONG, 60_000L, Range.atLeast(1000L), Importance.HIGH,
                    PAIRING_TIMEOUT_MS_DOC)
            .define(PAIRING_SWEEP_INTERVAL_MS, Type.LONG, 1_000L, Range.atLeast(100L), Importance.LOW,
                    PAIRING_SWEEP_INTERVAL_MS_DOC)
            .define(DETECT_SWEEP_INTERVAL_MS, Type.LONG, 10_000L, Range.atLeast(100L), Importance.LOW,
                    DETECT_SWEEP_INTERVAL_MS_DOC)
            .define(DETECT_LATENESS_MS, Type.LONG, 300_000L, Range.atLeast(0L), Importance.LOW, DETECT_LATENESS_MS_DOC)
            .define(TENANT_REFRESH_INTERVAL_MS, Type.LONG, 10_000L, Range.atLeast(100L), Importance.LOW,
                    TENANT_REFRESH_INTERVAL_MS_DOC)
            .define(RULES_FILE, Type.STRING, "", Importance.HIGH, RULES_FILE_DOC)
            .define(STARTUP_TIMEOUT_MS, Type.LONG, 60_000L, Range.atLeast(1000L), Importance.LOW,
                    STARTUP_TIMEOUT_MS_DOC);

    private final Settings settings;
    private final CoreConfig core;

    public StreamsStageConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        this.settings = settings;
        this.core = new CoreConfig(settings);
    }


    public CoreConfig core() {
        return core;
    }

    public Duration pairingTimeout() {
        return Duration.ofMillis(getLong(PAIRING_TIMEOUT_MS));
    }

    public Duration pairingSweepInterval() {
        return Duration.ofMillis(getLong(PAIRING_SWEEP_INTERVAL_MS));
    }

    public Duration detectSweepInterval() {
        return Duration.ofMillis(getLong(DETECT_SWEEP_INTERVAL_MS));
    }

    public Duration detectLateness() {
        return Duration.ofMillis(getLong(DETECT_LATENESS_MS));
    }

    public Duration tenantRefreshInterval() {
        return Duration.ofMillis(getLong(TENANT_REFRESH_INTERVAL_MS));
    }

    public Duration startupTimeout() {
        return Duration.ofMillis(getLong(STARTUP_TIMEOUT_MS));
    }

    /** The rules file's rule book, or the shipped defaults when {@value #RULES_FILE} is empty. */
    public RuleBook rules() {
        String file = getString(RULES_FILE);
        return file.isBlank() ? RuleBook.defaults() : RuleBook.load(Path.of(file));
    }

    /** Kafka client settings ({@code kafka.*} without the prefix), for the admin client. */
    public Map<String, Object> kafkaProperties() {
        Map<String, Object> props = new HashMap<>(settings.kafkaClientProperties());
        props.put("bootstrap.servers", core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        return props;
    }

    /** The Kafka Streams configuration: exactly-once v2, explicit names for every internal topic and store. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // the 5.0 default, opted into now (the constant is deprecated because the setting will go away)
        p.put("processing.exception.handler.global.enabled", true);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) core.topics().replicationFactor());
        // a dead-lettered line is up to audit.max.line.bytes, plus headers
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Math.max(1 << 20, core.maxRecordBytes()));
        // One request in flight per broker connection. With transactions v2 (Kafka 4.x brokers) every transaction
        // starts each partition's sequence at 0 again, and a broker with no state for the producer yet refuses a
        // pipelined batch of a higher sequence as OUT_OF_ORDER_SEQUENCE_NUMBER (KAFKA-18202), retried after the
        // back-off: a stall per transaction and partition. StreamsBenchmark: 26 such retries and 6,566 events/s
        // with five in flight, none and 7,873 events/s with one, same hour. kafka.producer.max.in.flight... overrides.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        p.putAll(kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID));
        p.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_THREADS));
        return p;
    }
}
