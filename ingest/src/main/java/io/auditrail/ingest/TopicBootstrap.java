package io.auditrail.ingest;

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
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics ingest writes ({@code vault.audit.raw}, {@code vault.audit.dlq}) when they are missing, sized
 * for the longest record ingest sends, and warns when existing ones would refuse it.
 */
public final class TopicBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrap.class);

    private final Map<String, Object> adminProperties;
    private final List<String> topics;
    private final int partitions;
    private final short replicationFactor;
    private final int maxRecordBytes;

    public TopicBootstrap(IngestConfig config) {
        this(config.adminProperties(), List.of(config.topics().raw(), config.topics().dlq()),
                config.topics().partitions(), config.topics().replicationFactor(), config.maxRecordBytes());
    }

    TopicBootstrap(Map<String, Object> adminProperties, List<String> topics, int partitions, short replicationFactor,
                   int maxRecordBytes) {
        this.adminProperties = adminProperties;
        this.topics = List.copyOf(topics);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * Makes sure the topics exist. Throws when Kafka cannot be reached within {@code timeout}; the caller retries,
     * since ingest keeps accepting lines into its spool meanwhile.
     */
    public void ensure(Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        var props = new java.util.HashMap<>(adminProperties);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis() / 2));
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String t : topics) {
                wanted.add(new NewTopic(t, partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes))));
            }
            Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
            List<String> created = new ArrayList<>();
            for (var e : results.entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                    LOG.info("created topic {} ({} partitions, replication {})", e.getKey(), partitions,
                            replicationFactor);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
            if (!created.isEmpty()) {
                awaitWritable(admin, created, timeout);
            }
            warnIfTooSmall(admin, timeout);
        }
    }

    /**
     * Waits until every partition of the new topics answers a ListOffsets request, which only the partition's
     * leader does once it really hosts the partition. An idempotent producer whose first request reaches a
     * partition before that can be refused with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms
     * (KAFKA-15591); the spool would resend those lines then, but only after that timeout.
     */
    private static void awaitWritable(Admin admin, List<String> created, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(created).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                described.forEach((topic, d) -> d.partitions().forEach(
                        p -> partitions.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                // not there yet on the broker (unknown topic, no leader): the creation is still propagating
                last = e;
            }
            Thread.sleep(100);
        }
        throw new TimeoutException("partitions of " + created + " not writable within " + timeout
                + (last == null ? "" : ": " + last.getCause()));
    }

    private void warnIfTooSmall(Admin admin, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null && Long.parseLong(entry.value()) < maxRecordBytes) {
                LOG.warn("topic {} has {}={}, below the {} bytes ingest may send (ingest.max.line.bytes plus "
                                + "headers): longer lines will be retried until the topic is altered",
                        resource.name(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG, entry.value(), maxRecordBytes);
            }
        });
    }
}
