package io.auditrail.embedded.vault;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** One Raft node of a {@link VaultCluster}: its API and cluster ports on 127.0.0.1, its data and audit file. */
public final class VaultNode {
    private final BaoServer server;
    private final int apiPort;
    private final int clusterPort;
    private final VaultApi api;

    VaultNode(BaoServer server, int apiPort, int clusterPort) {
        this.server = server;
        this.apiPort = apiPort;
        this.clusterPort = clusterPort;
        this.api = new VaultApi(address(), Duration.ofSeconds(2));
    }

    public String name() {
        return server.name();
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    public int clusterPort() {
        return clusterPort;
    }

    public VaultApi api() {
        return api;
    }

    /** This node's file audit device: relative path audit.log in its working directory (same options everywhere). */
    public Path auditLog() {
        return server.workDir().resolve(VaultCluster.AUDIT_FILE);
    }

    /** The last lines of the server's log, for failure messages. */
    public String logTail() {
        return server.logTail();
    }

    public Path serverLog() {
        return server.log();
    }

    public void start() throws IOException {
        server.start();
    }

    public void kill() {
        server.kill();
    }

    public void stop() {
        server.stop();
    }

    public boolean running() {
        return server.running();
    }

    /** Waits for sys/health to answer one of {@code codes}; fails with the node's log tail otherwise. */
    public int awaitHealth(Duration timeout, int... codes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = api.healthCode(false);
            for (int c : codes) {
                if (c == last) {
                    return last;
                }
            }
            sleep(100);
        }
        throw new IllegalStateException(name() + ": sys/health still " + last + " after " + timeout + "\n"
                + server.logTail());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name() + "@" + address();
    }
}
