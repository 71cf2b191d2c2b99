package io.auditrail.embedded.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditrail.embedded.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's {@code prometheus} scraping the cluster's {@code /v1/sys/metrics?format=prometheus} every second and
 * evaluating the project's own rule file (infra/prometheus/auditrail-rules.yml) every second: the alerts are the
 * real rules on real samples, with their own {@code for} durations.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final VaultApi api;

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.api = new VaultApi(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(3));
    }

    static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "prometheus");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static PrometheusServer start(Path binary, Path dir, Path rules, List<VaultNode> nodes) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        int port = LoopbackPorts.resolve(0);
        String targets = nodes.stream().map(n -> "'127.0.0.1:" + n.address().getPort() + "'")
                .collect(Collectors.joining(", "));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global: {scrape_interval: 1s, evaluation_interval: 1s}",
                "rule_files: ['" + rules.toAbsolutePath() + "']",
                "scrape_configs:",
                "  - job_name: vault",
                "    metrics_path: /v1/sys/metrics",
                "    params: {format: [prometheus]}",
                "    static_configs: [{targets: [" + targets + "]}]", ""));
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(p, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                server.api.text("/-/ready"); // plain text, 200 once rules and TSDB are loaded
                return server;
            } catch (IOException e) {
                // not listening yet
            }
            VaultNode.sleep(200);
        }
        server.close();
        throw new IllegalStateException("prometheus not ready after 30 s: " + Files.readString(dir.resolve("prometheus.log")));
    }

    /** Names of the alerts firing now (state firing, past their {@code for}), with their instance when they have one. */
    Set<String> firing() throws IOException {
        JsonNode alerts = api.get("/api/v1/alerts", null).body().at("/data/alerts");
        Set<String> names = new HashSet<>();
        for (JsonNode a : alerts) {
            if ("firing".equals(a.path("state").asText())) {
                String instance = a.at("/labels/instance").asText("");
                names.add(a.at("/labels/alertname").asText() + (instance.isEmpty() ? "" : "@" + instance));
            }
        }
        return names;
    }

    /** Seconds until an alert whose name starts with {@code alert} fires, or -1 after {@code timeout}. */
    double awaitFiring(String alert, Duration timeout) throws IOException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < timeout.toNanos()) {
            if (firing().stream().anyMatch(a -> a.equals(alert) || a.startsWith(alert + "@"))) {
                return (System.nanoTime() - t0) / 1e9;
            }
            VaultNode.sleep(500);
        }
        return -1;
    }

    /** The value of an instant query's first sample, for the figures. */
    String query(String promql) throws IOException {
        JsonNode r = api.get("/api/v1/query?query=" + java.net.URLEncoder.encode(promql,
                java.nio.charset.StandardCharsets.UTF_8), null).body();
        return r.at("/data/result").toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
