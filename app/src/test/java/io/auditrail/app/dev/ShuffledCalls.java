package io.auditrail.app.dev;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Vault calls of tenant acme as audit lines, in a shuffled order: complete calls (request and response), requests
 * whose response never comes, and responses whose request never comes. Each call has its own entity, so every
 * anomaly is one of its own and a false {@code audit_gap} cannot hide in another's count; a few calls read another
 * tenant's secret or use a root token, so other rules fire too. Knows what pairing must make of every line.
 */
final class ShuffledCalls {
    /** What the pairing must say of the line with this request id and type. */
    final Map<String, String> expectedStatus = new LinkedHashMap<>();
    final List<String> lines = new ArrayList<>();
    final List<String> unansweredRequestIds = new ArrayList<>();

    ShuffledCalls(Instant start, int complete, int requestsAlone, int responsesAlone, long seed) {
        int n = 0;
        for (int i = 0; i < complete; i++, n++) {
            add(start, n, "call", "request", "paired");
            add(start, n, "call", "response", "paired");
        }
        for (int i = 0; i < requestsAlone; i++, n++) {
            add(start, n, "gap", "request", "unanswered");
            unansweredRequestIds.add("gap-" + n);
        }
        for (int i = 0; i < responsesAlone; i++, n++) {
            add(start, n, "orphan", "response", "response_only");
        }
        Collections.shuffle(lines, new Random(seed));
    }

    /** One more request whose response never comes, not in {@link #lines}: to send at the very end. */
    String lastLoneRequest(Instant at) {
        String id = "last-gap";
        expectedStatus.put(id + "/request", "unanswered");
        unansweredRequestIds.add(id);
        return line(at, -1, id, "request", "e-" + id);
    }

    int total() {
        return expectedStatus.size();
    }

    private void add(Instant start, int n, String kind, String type, String status) {
        String id = kind + "-" + n;
        expectedStatus.put(id + "/" + type, status);
        lines.add(line(start.plusMillis(10L * n + (type.equals("response") ? 3 : 0)), n, id, type, "e-" + id));
    }

    /** Every 25th call reads another tenant's secret (cross_tenant_access), every 40th uses a root token. */
    private static String line(Instant at, int n, String requestId, String type, String entity) {
        String pathTenant = n % 25 == 24 ? "globex" : "acme";
        String policy = n % 40 == 39 ? "root" : "default";
        return "{\"time\":\"" + at + "\",\"type\":\"" + type + "\",\"auth\":{\"metadata\":{\"tenant_id\":\"acme\"},"
                + "\"entity_id\":\"" + entity + "\",\"policies\":[\"" + policy + "\"]},\"request\":{\"id\":\""
                + requestId + "\",\"operation\":\"read\",\"path\":\"secret/data/tenants/" + pathTenant + "/"
                + requestId + "\",\"remote_address\":\"10.0.0.7\"}}\n";
    }

    /**
     * Writes {@code lines} over {@code connections} connections at once, line i on connection i mod n (as a Vault
     * node's reconnects or two ingest replicas interleave them), each connection closed when its share is written.
     */
    static void send(int port, List<String> lines, int connections) throws Exception {
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            StringBuilder share = new StringBuilder();
            for (int i = c; i < lines.size(); i += connections) {
                share.append(lines.get(i));
            }
            byte[] bytes = share.toString().getBytes(StandardCharsets.UTF_8);
            writers.add(CompletableFuture.runAsync(() -> {
                try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
                    out.write(bytes);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
    }
}
