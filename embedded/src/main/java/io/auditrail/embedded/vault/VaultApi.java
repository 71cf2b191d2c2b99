package io.auditrail.embedded.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of one node's HTTP API, over java.net.http: what an application or a probe does. */
public final class VaultApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** One answer: the status and the parsed body (an empty object when there was none). */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI base;
    private final Duration timeout;

    public VaultApi(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    public URI base() {
        return base;
    }

    public Response get(String path, String token) throws IOException {
        return send("GET", path, token, null);
    }

    public Response post(String path, String token, Object body) throws IOException {
        return send("POST", path, token, body);
    }

    /** The raw text of a GET (e.g. Prometheus metrics). */
    public String text(String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + " -> " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** sys/health's status code (200 active, 429 standby, 503 sealed, 501 uninitialised), -1 when unreachable. */
    public int healthCode(boolean standbyOk) {
        try {
            return get("/v1/sys/health" + (standbyOk ? "?standbyok=true" : ""), null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private Response send(String method, String path, String token, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String text = r.body();
            JsonNode node = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            return new Response(r.statusCode(), node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }
}
