package io.auditrail.bench.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The counts that must agree: raw records, index rows and DLQ records, read from Kafka and PostgreSQL. */
public final class PipelineCounts implements AutoCloseable {
    /** One reading. Events = rows + DLQ records. */
    public record Reading(long raw, long rows, long dlq) {
        public long events() {
            return rows + dlq;
        }
    }

    private final Admin admin;
    private final Connection db;
    private final String rawTopic;
    private final String dlqTopic;

    public PipelineCounts(String bootstrap, Connection db, String rawTopic, String dlqTopic) {
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        this.db = db;
        this.rawTopic = rawTopic;
        this.dlqTopic = dlqTopic;
    }

    public Reading read() throws SQLException, ExecutionException, InterruptedException {
        return new Reading(endOffsets(rawTopic), rows(), endOffsets(dlqTopic));
    }

    public long rows() throws SQLException {
        return scalar("SELECT count(*) FROM audit_event");
    }

    public long scalar(String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public Map<String, Long> anomaliesByRule() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT rule, count(DISTINCT anomaly_id) FROM anomaly GROUP BY rule")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Records of {@code topic} past the committed offsets of consumer group {@code group}. */
    public long lag(String group, String topic) throws ExecutionException, InterruptedException {
        long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
        return endOffsets(topic) - committed;
    }

    /** The sum of the topic's end offsets (transaction markers included), 0 for a topic not yet created. */
    public long endOffsets(String topic) throws ExecutionException, InterruptedException {
        org.apache.kafka.clients.admin.TopicDescription described;
        try {
            described = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0; // a DLQ nobody wrote to yet
            }
            throw e;
        }
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < described.partitions().size(); p++) {
            ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(ask).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    @Override
    public void close() {
        admin.close();
    }
}
