package io.auditrail.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A local generic-webhook alert target: records when each anomaly's alert arrived, for anomaly-to-alert latency. */
public final class WebhookReceiver implements AutoCloseable {
    /** One alert as received: its rule, anomaly id, revision and arrival time. */
    public record Received(String rule, String anomalyId, int revision, Instant at) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        WebhookReceiver r = new WebhookReceiver(server);
        server.createContext("/", exchange -> {
            Instant at = Instant.now();
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode anomaly = JSON.readTree(in).path("anomaly");
                synchronized (r) {
                    r.received.add(new Received(anomaly.path("rule").asText(), anomaly.path("anomaly_id").asText(),
                            anomaly.path("revision").asInt(), at));
                }
            } catch (IOException e) {
                // an unreadable body is still an alert that arrived; it simply cannot be attributed
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return r;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
