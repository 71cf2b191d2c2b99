package io.auditrail.bench.multiproc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One process of the deployment (a stage, the broker, the object store), started from a fixed command as a
 * supervisor would (systemd, Kubernetes): killed with SIGKILL or stopped with SIGTERM, then started again with the
 * same command, environment and data. Output goes to {@code LOG} (appended across restarts).
 */
final class LaunchedProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final int metricsPort;
    private Process process;
    private int starts;

    /** @param metricsPort where the process serves /metrics (and /readyz for a stage); 0 for none */
    LaunchedProcess(String name, List<String> command, Map<String, String> env, Path log, int metricsPort) {
        this.name = name;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.log = log;
        this.metricsPort = metricsPort;
    }

    String name() {
        return name;
    }

    int metricsPort() {
        return metricsPort;
    }

    synchronized LaunchedProcess start() throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().putAll(env);
        Files.writeString(log, "### start " + (++starts) + " of " + name + ": " + String.join(" ", command) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = b.start();
        return this;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as the OOM killer or a node failure would: no shutdown hook runs. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait for the shutdown hooks, SIGKILL after 60 s. */
    synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Waits until the process is ready: for a stage, its /readyz answers 200; for a service, its log says
     * {@code ready} after the latest start. Fails when the process exits or the timeout passes.
     */
    void awaitReady(Duration timeout, boolean stage) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + "); see " + log);
            }
            if (stage ? status("/readyz") == 200 : readyInLog()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    /** The HTTP status of GET path on the metrics port, -1 when nothing answers. */
    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Heap in use (bytes, all heap pools) from the process's /metrics, -1 when it cannot be read. */
    long heapUsed() {
        return (long) metric(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""));
    }

    /**
     * For each prefix, the sum of the Prometheus samples whose line starts with it (-1 when there is none), from one
     * scrape; empty when /metrics cannot be read.
     */
    Map<String, Double> metrics(List<String> prefixes) {
        String body = scrape();
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        if (body != null) {
            prefixes.forEach(p -> out.put(p, sum(body, l -> l.startsWith(p))));
        }
        return out;
    }

    private double metric(Predicate<String> which) {
        String body = scrape();
        return body == null ? -1 : sum(body, which);
    }

    private static double sum(String body, Predicate<String> which) {
        double sum = 0;
        boolean found = false;
        for (String line : body.split("\n")) {
            if (which.test(line)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    /** The body of /metrics, null when nothing answers. */
    private String scrape() {
        if (metricsPort == 0) {
            return null;
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private boolean readyInLog() throws IOException {
        String text = Files.readString(log);
        int lastStart = text.lastIndexOf("### start ");
        return text.indexOf("\nready ", lastStart) >= 0;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller's interrupt, kept; the process is left to its hook
        }
    }
}
