package io.auditrail.embedded.vault;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The transit "KMS": a fourth {@code bao server} whose transit key auto-unseals the cluster, from
 * {@code infra/vault/dev/transit.hcl.tmpl}, prepared by the project's {@code transit-init.sh} (initialise once,
 * unseal after each start, key, policy, the nodes' periodic seal token). Stoppable, to show a node that cannot
 * reach its seal staying sealed.
 */
public final class TransitKms implements AutoCloseable {
    private final InfraScripts scripts;
    private final BaoServer server;
    private final Path dir;
    private final int port;

    private TransitKms(InfraScripts scripts, BaoServer server, Path dir, int port) {
        this.scripts = scripts;
        this.server = server;
        this.dir = dir;
        this.port = port;
    }

    static TransitKms start(InfraScripts scripts, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("storage"));
        int port = io.auditrail.embedded.LoopbackPorts.resolve(0);
        int clusterPort = io.auditrail.embedded.LoopbackPorts.resolve(0);
        Path config = scripts.render("transit.hcl.tmpl", dir.resolve("transit.hcl"), Map.of(
                "TRANSIT_API_ADDR", "http://127.0.0.1:" + port,
                "TRANSIT_CLUSTER_ADDR", "https://127.0.0.1:" + clusterPort,
                "TRANSIT_LISTEN_ADDRESS", "127.0.0.1:" + port,
                "TRANSIT_CLUSTER_LISTEN_ADDRESS", "127.0.0.1:" + clusterPort,
                "TRANSIT_STORAGE_PATH", dir.resolve("storage").toString()));
        BaoServer server = new BaoServer("transit", scripts.bao(), dir, List.of(config), Map::of);
        TransitKms kms = new TransitKms(scripts, server, dir, port);
        kms.up();
        return kms;
    }

    /** Starts the process (again) and runs transit-init.sh, which unseals it and keeps a valid seal token. */
    public void up() throws IOException {
        Files.createDirectories(dir.resolve("secrets"));
        server.start();
        scripts.run("transit-init.sh", List.of(), Map.of(
                "TRANSIT_ADDR", address().toString(),
                "TRANSIT_SECRETS_DIR", dir.resolve("secrets").toString(),
                "SEAL_TOKEN_FILE", sealTokenFile().toString(),
                "SCRIPT_NAME", "transit-init.sh"), 120);
    }

    /** SIGKILL: the KMS is gone; nodes already unsealed keep serving, a restarted one stays sealed. */
    public void kill() {
        server.kill();
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Path sealTokenFile() {
        return dir.resolve("seal-token");
    }

    String sealToken() throws IOException {
        return Files.readString(sealTokenFile()).strip();
    }

    @Override
    public void close() {
        server.stop();
    }
}
