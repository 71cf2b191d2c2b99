package io.auditrail.app.simulate;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** What the end-to-end ITs read and write around a running stack: topic ends, table counts, and tick lines. */
final class PipelineProbe {
    private PipelineProbe() {
    }

    /**
     * Two paired lines of a quiet tenant at {@code at}, on their own connection: moves event time on, as later live
     * traffic would, for rules that decide when a window of compressed simulated time ends. Returns the lines sent.
     */
    static long tick(int port, long n, Instant at) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String type : List.of("request", "response")) {
            text.append("{\"time\":\"").append(at).append("\",\"type\":\"").append(type)
                    .append("\",\"auth\":{\"metadata\":{\"tenant_id\":\"tick\"}},\"request\":{\"id\":\"tick-")
                    .append(n).append("\",\"operation\":\"read\",\"path\":\"secret/data/tenants/tick/k\"}}\n");
        }
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return 2;
    }

    /** Records in a topic: the sum of its partitions' end offsets. */
    static long endOffsets(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(ask).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
