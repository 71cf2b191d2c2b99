package io.auditrail.app.health;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Kafka is ready when the cluster answers a metadata request and has a controller. */
public final class KafkaReadiness implements ReadinessCheck, AutoCloseable {
    private final Admin admin;

    public KafkaReadiness(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "auditrail-readiness");
        this.admin = Admin.create(props);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void check() throws Exception {
        var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
        if (cluster.nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            throw new IllegalStateException("no broker in the cluster");
        }
        if (cluster.controller().get(3, TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("no active controller");
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
