package io.auditrail.streams;

import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import io.auditrail.streams.rules.RuleBook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the topology: creates the topics when missing, starts Kafka Streams (exactly-once v2) and stops it on
 * {@link #close()}. A stream thread that dies takes the client down (its task would otherwise stall its
 * partitions unseen); {@link #state()} then reports it, for readiness checks.
 */
public final class StreamsStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsStage.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics kafkaMetrics;
    private final StreamsMetrics metrics;

    private StreamsStage(KafkaStreams streams, KafkaStreamsMetrics kafkaMetrics, StreamsMetrics metrics) {
        this.streams = streams;
        this.kafkaMetrics = kafkaMetrics;
        this.metrics = metrics;
    }

    /** Reads {@code streams.*} and core settings, loads the rules file, creates topics, starts. */
    public static StreamsStage start(Settings settings, MeterRegistry registry) {
        StreamsStageConfig config = new StreamsStageConfig(settings);
        return start(config, config.rules(), registry);
    }

    public static StreamsStage start(StreamsStageConfig config, RuleBook rules, MeterRegistry registry) {
        ensureTopics(config);
        StreamsMetrics metrics = new StreamsMetrics(registry);
        KafkaStreams streams = new KafkaStreams(AuditTopology.build(config, rules, metrics), config.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; stopping the streams stage: {}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        KafkaStreamsMetrics kafkaMetrics = new KafkaStreamsMetrics(streams);
        kafkaMetrics.bindTo(registry);
        streams.start();
        LOG.info("streams stage started: application {}, {} -> {}, {}, {}",
                config.getString(StreamsStageConfig.APPLICATION_ID), config.core().topics().raw(),
                config.core().topics().events(), config.core().topics().anomalies(), config.core().topics().dlq());
        return new StreamsStage(streams, kafkaMetrics, metrics);
    }

    /** Creates the topics the stage reads and writes when they are missing; the tenant directory compacted. */
    static void ensureTopics(StreamsStageConfig config) {
        Topics t = config.core().topics();
        Duration timeout = config.startupTimeout();
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis() / 2));
        String maxBytes = Integer.toString(Math.max(1 << 20, config.core().getInt(
                io.auditrail.core.config.CoreConfig.AUDIT_MAX_LINE_BYTES) + (64 << 10)));
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(t.raw(), t.events(), t.anomalies(), t.dlq())) {
            wanted.add(new NewTopic(name, t.partitions(), t.replicationFactor())
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
        }
        wanted.add(new NewTopic(t.tenants(), 1, t.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try (Admin admin = Admin.create(props)) {
            for (Map.Entry<String, KafkaFuture<Void>> e : admin.createTopics(wanted).values().entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("created topic {}", e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + ": "
                                + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + config.kafkaProperties().get("bootstrap.servers")
                    + " did not answer within " + timeout.toMillis() + " ms", e);
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** True while Kafka Streams runs (or rebalances): the readiness of this stage. */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    public StreamsMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
        kafkaMetrics.close();
        LOG.info("streams stage stopped");
    }
}
