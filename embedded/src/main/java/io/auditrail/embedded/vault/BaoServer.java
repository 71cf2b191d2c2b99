package io.auditrail.embedded.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One {@code bao server} process: its config files, its working directory (relative paths in the config, such as
 * the file audit device's, resolve there) and its log. Killed with SIGKILL by {@link #kill()}, stopped with SIGTERM
 * by {@link #stop()}, started again by {@link #start()} with the same files and data.
 */
final class BaoServer {
    private final String name;
    private final Path bao;
    private final Path workDir;
    private final List<Path> configs;
    private final Supplier<Map<String, String>> env;
    private Process process;

    BaoServer(String name, Path bao, Path workDir, List<Path> configs, Supplier<Map<String, String>> env) {
        this.name = name;
        this.bao = bao;
        this.workDir = workDir;
        this.configs = List.copyOf(configs);
        this.env = env;
    }

    synchronized void start() throws IOException {
        if (running()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(bao.toString(), "server"));
        configs.forEach(c -> command.add("-config=" + c));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("BAO_") || k.startsWith("VAULT_"));
        e.putAll(env.get());
        Path log = workDir.resolve("server.log");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
    }

    /** SIGKILL, as a crashed node or `kill -9`: no step-down, no flush. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(10);
        }
    }

    /** SIGTERM, as an orderly restart (the active node steps down first); SIGKILL after 30 s. */
    synchronized void stop() {
        if (process != null) {
            process.destroy();
            if (!awaitExit(30)) {
                process.destroyForcibly();
                awaitExit(10);
            }
        }
    }

    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    Path workDir() {
        return workDir;
    }

    Path log() {
        return workDir.resolve("server.log");
    }

    /** The last lines of the server's log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
