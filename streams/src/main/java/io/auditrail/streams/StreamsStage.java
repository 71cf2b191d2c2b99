package io.auditrail.streams;

import io.auditrail.core.config.Settings;
import io.auditrail.core.stage.Stage;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.streams.rules.RuleBook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the topology: creates the topics when missing, starts Kafka Streams (exactly-once v2) and stops it on
 * {@link #close()}. A stream thread that dies takes the client down (its task would otherwise stall its
 * partitions unseen); {@link #state()} then reports it, for readiness checks.
 */
public final class StreamsStage implements Stage {
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
        Duration timeout = config.startupTimeout();
        int maxBytes = Math.max(1 << 20, config.core().maxRecordBytes());
        try {
            new TopicBootstrap(config.kafkaProperties())
                    .ensure(TopicBootstrap.pipeline(config.core().topics(), maxBytes), timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the topics: " + e.getCause().getMessage(), e.getCause());
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

    /** True while Kafka Streams runs (or rebalances). */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    @Override
    public String name() {
        return "streams";
    }

    /**
     * Ready while Kafka Streams runs or rebalances; a dead stream thread shuts the client down (see the uncaught
     * exception handler), so one state covers every thread of the stage.
     */
    @Override
    public String notReadyReason() {
        KafkaStreams.State s = streams.state();
        return s.isRunningOrRebalancing() ? null : "Kafka Streams is " + s;
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
