package io.auditrail.reports.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Calls a server over real HTTP as a client would, and keeps what came back: status, headers, bytes, JSON. */
public final class HttpCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** @param base e.g. {@code http://127.0.0.1:8080} */
    public HttpCalls(String base) {
        this.base = base;
    }

    /** What one call answered. {@code json} is an empty object when the body is not JSON. */
    public record Answer(int status, HttpHeaders headers, byte[] body, JsonNode json) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** GET {@code path} with {@code Authorization: <authorization>} unless null; waits at most {@code timeout}. */
    public Answer get(String path, String authorization, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    public Answer get(String path, String authorization) throws IOException, InterruptedException {
        return get(path, authorization, Duration.ofSeconds(60));
    }

    /** A form post, as a browser sends it from the console. */
    public Answer postForm(String path, Map<String, String> fields, String cookie) throws IOException,
            InterruptedException {
        String body = fields.entrySet().stream().map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b.build());
    }

    public Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = JSON.createObjectNode();
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                json = JSON.createObjectNode(); // a raw line that is not JSON
            }
        }
        return new Answer(r.statusCode(), r.headers(), r.body(), json);
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
