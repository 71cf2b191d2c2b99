package io.auditrail.alerts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP server on a loopback port receiving the webhooks: each path answers with a status chosen from the
 * number of requests it has had so far, and keeps every request it got.
 */
final class WebhookServer implements AutoCloseable {
    /** One request as received. */
    record Received(String path, String contentType, String userAgent, byte[] body, long atNanos) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

    WebhookServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** A path answering {@code status.applyAsInt(n)} to its n-th request (0-based). */
    String path(String path, IntUnaryOperator status) {
        AtomicInteger count = new AtomicInteger();
        received.put(path, new CopyOnWriteArrayList<>());
        server.createContext(path, exchange -> answer(exchange, path, status.applyAsInt(count.getAndIncrement())));
        return url(path);
    }

    /**
     * A path answering {@code status} with an error body that echoes the request line, as some frameworks and proxies
     * do ("Cannot POST /services/..."): what a target's URL must never reach through.
     */
    String echoing(String path, int status) {
        received.put(path, new CopyOnWriteArrayList<>());
        server.createContext(path, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.get(path).add(new Received(path, exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("User-Agent"), body, System.nanoTime()));
            byte[] answer = ("Cannot " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " on "
                    + url(exchange.getRequestURI().getPath())).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        return url(path);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void answer(HttpExchange exchange, String path, int status) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.get(path).add(new Received(path, exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("User-Agent"), body, System.nanoTime()));
        byte[] answer = (status < 300 ? "{\"status\":\"success\"}" : "{\"status\":\"boom\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    List<Received> received(String path) {
        return new ArrayList<>(received.get(path));
    }

    /** A URL where nothing listens: connections are refused. */
    static String refusingUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/refused";
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
