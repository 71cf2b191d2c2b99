package io.auditrail.app.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.embedded.vault.VaultNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The three places one audit entry should be, counted by entry (type + request id): the file device of each node,
 * the raw topic, and the index. Counts, not sets, so a doubled or lost entry shows.
 *
 * <p>Left out everywhere: the probe each audit device writes to itself alone when it is created (path
 * {@value #PROBE_PATH}, a request with no response): the file device's is only in the file, the socket device's only
 * on the raw topic. They are not requests anyone made.
 */
final class AuditTrail {
    static final String PROBE_PATH = "sys/audit/test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditTrail() {
    }

    /** type|request-id to its number of lines in the node's file audit device. */
    static Map<String, Integer> fileEntries(VaultNode node) throws IOException {
        Map<String, Integer> keys = new HashMap<>();
        if (!Files.exists(node.auditLog())) {
            return keys;
        }
        for (String line : Files.readAllLines(node.auditLog(), StandardCharsets.UTF_8)) {
            JsonNode entry = line.isBlank() ? null : JSON.readTree(line);
            if (entry != null && !isProbe(entry)) {
                keys.merge(key(entry), 1, Integer::sum);
            }
        }
        return keys;
    }

    static Map<String, Integer> fileEntries(List<VaultNode> nodes) throws IOException {
        Map<String, Integer> all = new HashMap<>();
        for (VaultNode n : nodes) {
            fileEntries(n).forEach((k, c) -> all.merge(k, c, Integer::sum));
        }
        return all;
    }

    /** type|request-id to its number of records on the raw topic, read from the beginning to the end. */
    static Map<String, Integer> rawRecords(String bootstrap, String topic) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Integer> keys = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode entry = JSON.readTree(r.value());
                    if (!isProbe(entry)) {
                        keys.merge(key(entry), 1, Integer::sum);
                    }
                }
            }
        }
        return keys;
    }

    /** type|request-id to its number of rows in the index. */
    static Map<String, Integer> indexRows(Connection db) throws SQLException {
        Map<String, Integer> keys = new HashMap<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, request_id FROM audit_event WHERE path IS DISTINCT FROM '"
                     + PROBE_PATH + "'")) {
            while (rs.next()) {
                keys.merge(rs.getString(1) + '|' + rs.getString(2), 1, Integer::sum);
            }
        }
        return keys;
    }

    /** Request ids with a request row but no response row. */
    static List<String> unpaired(Map<String, Integer> rows) {
        List<String> lone = new ArrayList<>();
        for (String k : rows.keySet()) {
            if (k.startsWith("request|") && !rows.containsKey("response|" + k.substring("request|".length()))) {
                lone.add(k);
            }
        }
        return lone;
    }

    static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Where two counts differ, at most five keys a side ("" when equal): an assertion message, not a dump. */
    static String difference(String left, Map<String, Integer> a, String right, Map<String, Integer> b) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            int x = a.getOrDefault(k, 0);
            int y = b.getOrDefault(k, 0);
            if (x != y) {
                out.add(k + " " + left + "=" + x + " " + right + "=" + y);
            }
        }
        if (out.isEmpty()) {
            return "";
        }
        return out.size() + " entries differ, e.g. " + out.subList(0, Math.min(5, out.size()));
    }

    static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static boolean isProbe(JsonNode entry) {
        return PROBE_PATH.equals(entry.path("request").path("path").asText());
    }

    private static String key(JsonNode entry) {
        return entry.path("type").asText() + '|' + entry.path("request").path("id").asText();
    }
}
