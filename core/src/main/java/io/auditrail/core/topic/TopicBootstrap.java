package io.auditrail.core.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Creates the pipeline's topics when they are missing (every stage calls it on start, so the order
 * stages start in does not matter), waits until new ones are writable, and warns when an existing
 * topic would refuse the largest record a stage sends.
 */
public final class TopicBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrap.class);

    /** One topic as a stage wants it. */
    public record Spec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        public Spec {
            configs = Map.copyOf(configs);
        }
    }

    private final Map<String, Object> adminProperties;

    public TopicBootstrap(Map<String, Object> adminProperties) {
        this.adminProperties = Map.copyOf(adminProperties);
    }

    /**
     * The pipeline's topics: raw, events, anomalies and DLQ sized for records of {@code maxRecordBytes},
     * and the tenant directory compacted in one partition (a small table every instance reads whole).
     */
    public static List<Spec> pipeline(Topics t, int maxRecordBytes) {
        Map<String, String> sized = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes));
        List<Spec> specs = new ArrayList<>();
        for (String name : List.of(t.raw(), t.events(), t.anomalies(), t.dlq())) {
            specs.add(new Spec(name, t.partitions(), t.replicationFactor(), sized));
        }
        specs.add(new Spec(t.tenants(), 1, t.replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return specs;
    }

    /**
     * Makes sure the topics exist; returns those it created. Throws when Kafka cannot be reached within
     * {@code timeout}: the caller decides whether to retry (ingest does, its spool absorbs the wait).
     */
    public List<String> ensure(List<Spec> specs, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Object> props = new HashMap<>(adminProperties);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis() / 2));
        Map<String, Spec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> wanted = new ArrayList<>();
            for (Spec s : byName.values()) {
                wanted.add(new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()));
            }
            Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
            List<String> created = new ArrayList<>();
            for (var e : results.entrySet()) {
                try {
                    e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                    Spec s = byName.get(e.getKey());
                    LOG.info("created topic {} ({} partitions, replication {})", s.name(), s.partitions(),
                            s.replicationFactor());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
            if (!created.isEmpty()) {
                awaitWritable(admin, created, timeout);
            }
            warnIfTooSmall(admin, byName, timeout);
            return created;
        }
    }

    /**
     * Waits until every partition of the new topics answers a ListOffsets request, which only the partition's
     * leader does once it really hosts the partition. An idempotent producer whose first request reaches a
     * partition before that can be refused with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms
     * (KAFKA-15591).
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

    private static void warnIfTooSmall(Admin admin, Map<String, Spec> byName, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<ConfigResource> resources = byName.values().stream()
                .filter(s -> s.configs().containsKey(TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
        if (resources.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            long wanted = Long.parseLong(byName.get(resource.name()).configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
            if (entry != null && entry.value() != null && Long.parseLong(entry.value()) < wanted) {
                LOG.warn("topic {} has {}={}, below the {} bytes a record may have here: longer records will be "
                                + "refused until the topic is altered", resource.name(),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, entry.value(), wanted);
            }
        });
    }
}
