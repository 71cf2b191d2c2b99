package io.auditrail.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DevStackIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void reachesReadyOnRealServicesAndReportsAStoppedService(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir, "127.0.0.1", 0, 0, 0, 0, "auditrail-archive"))) {
            String base = "http://127.0.0.1:" + stack.httpPort();
            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(base + "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"kafka\":\"ok\"", "\"postgres\":\"ok\"", "\"s3\":\"ok\"");
            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            assertThat(stack.endpoints()).containsKeys("Kafka", "PostgreSQL", "S3", "API and console");

            stack.services().postgres().stop();
            HttpResponse<String> notReady = get(base + "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"kafka\":\"ok\"", "\"s3\":\"ok\"")
                    .doesNotContain("\"postgres\":\"ok\"");
            assertThat(get(base + "/healthz").statusCode()).as("alive though not ready").isEqualTo(200);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
