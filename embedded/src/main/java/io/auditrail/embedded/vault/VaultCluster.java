package io.auditrail.embedded.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditrail.embedded.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A real OpenBao HA cluster as processes on 127.0.0.1: a transit "KMS" node and three Raft nodes with distinct
 * ports, {@code retry_join} to each other and transit auto-unseal, each config rendered from the same templates the
 * compose stack uses ({@code infra/vault/dev}), then bootstrapped by the project's own {@code bootstrap.sh}. Tenants,
 * snapshots and restores go through {@code add-tenant.sh}, {@code snapshot.sh} and {@code restore-snapshot.sh}:
 * what operators run is what the tests run. Data under one directory; every process is killed on {@link #close()}
 * and by a shutdown hook.
 *
 * <p>Audit devices are declared in the server config (OpenBao refuses API-created ones): a file device
 * ({@value #AUDIT_FILE}, relative, so identical options on every node give each node its own file in its working
 * directory) and, when {@link Builder#socketAudit} names an address, a socket device to auditrail ingest, which must
 * be listening before {@link Builder#start()}.
 */
public final class VaultCluster implements AutoCloseable {
    static final String AUDIT_FILE = "audit.log";
    private static final Duration UP = Duration.ofSeconds(60);

    private final Path dir;
    private final InfraScripts scripts;
    private final TransitKms kms;
    private final boolean ownsKms;
    private final List<VaultNode> nodes;
    private final Thread shutdownHook;
    private String rootToken;

    /** How to start a cluster: where, whether a socket audit device feeds ingest, which KMS. */
    public static final class Builder {
        private final Path dir;
        private String socketAddress;
        private String socketPrefix = "";
        private TransitKms kms;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** A socket audit device on every node to {@code host:port} (auditrail ingest) with that prefix. */
        public Builder socketAudit(String address, String prefix) {
            this.socketAddress = address;
            this.socketPrefix = prefix;
            return this;
        }

        /** Shares another cluster's KMS (a restore into a fresh cluster needs the same seal key). */
        public Builder kms(TransitKms shared) {
            this.kms = shared;
            return this;
        }

        public VaultCluster start() throws IOException {
            Path bao = BaoBinary.find().orElseThrow(() -> new IllegalStateException(BaoBinary.missingMessage()));
            InfraScripts scripts = InfraScripts.locate(bao);
            Files.createDirectories(dir);
            boolean owns = kms == null;
            TransitKms k = owns ? TransitKms.start(scripts, dir.resolve("kms")) : kms;
            VaultCluster cluster = new VaultCluster(dir, scripts, k, owns, socketAddress, socketPrefix);
            try {
                cluster.bootstrap(socketAddress, socketPrefix);
                return cluster;
            } catch (IOException | RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    private VaultCluster(Path dir, InfraScripts scripts, TransitKms kms, boolean ownsKms, String socketAddress,
                         String socketPrefix) throws IOException {
        this.dir = dir;
        this.scripts = scripts;
        this.kms = kms;
        this.ownsKms = ownsKms;
        this.shutdownHook = new Thread(this::killAll, "vault-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        int[] api = new int[3];
        int[] cluster = new int[3];
        for (int i = 0; i < 3; i++) {
            api[i] = LoopbackPorts.resolve(0);
            cluster[i] = LoopbackPorts.resolve(0);
        }
        Path auditFile = scripts.render("audit-file.openbao.hcl.tmpl", dir.resolve("audit-file.hcl"),
                Map.of("AUDIT_FILE_PATH", AUDIT_FILE));
        Path auditSocket = socketAddress == null ? null : scripts.render("audit-socket.openbao.hcl.tmpl",
                dir.resolve("audit-socket.hcl"),
                Map.of("INGEST_AUDIT_ADDRESS", socketAddress, "INGEST_AUDIT_PREFIX", socketPrefix));
        List<VaultNode> list = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "vault-" + (i + 1);
            Path nodeDir = Files.createDirectories(dir.resolve(name));
            Files.createDirectories(nodeDir.resolve("raft"));
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("NODE_NAME", name);
            vars.put("API_ADDR", "http://127.0.0.1:" + api[i]);
            vars.put("CLUSTER_ADDR", "https://127.0.0.1:" + cluster[i]);
            vars.put("LISTEN_ADDRESS", "127.0.0.1:" + api[i]);
            vars.put("CLUSTER_LISTEN_ADDRESS", "127.0.0.1:" + cluster[i]);
            vars.put("RAFT_PATH", nodeDir.resolve("raft").toString());
            vars.put("PEER_1_API_ADDR", "http://127.0.0.1:" + api[(i + 1) % 3]);
            vars.put("PEER_2_API_ADDR", "http://127.0.0.1:" + api[(i + 2) % 3]);
            vars.put("SEAL_ADDRESS", kms.address().toString());
            List<Path> configs = new ArrayList<>(List.of(
                    scripts.render("node.hcl.tmpl", nodeDir.resolve("node.hcl"), vars),
                    scripts.template("common.hcl"), auditFile));
            if (auditSocket != null) {
                configs.add(auditSocket);
            }
            // the seal token as VAULT_TRANSIT_SEAL_TOKEN, read at each start (transit-init.sh may have renewed it)
            BaoServer server = new BaoServer(name, scripts.bao(), nodeDir, configs, () -> {
                try {
                    return Map.of("VAULT_TRANSIT_SEAL_TOKEN", kms.sealToken());
                } catch (IOException e) {
                    throw new IllegalStateException("no seal token: " + e.getMessage(), e);
                }
            });
            list.add(new VaultNode(server, api[i], cluster[i]));
        }
        this.nodes = List.copyOf(list);
        for (VaultNode n : nodes) {
            n.start();
        }
    }

    private void bootstrap(String socketAddress, String socketPrefix) throws IOException {
        Map<String, String> env = scriptEnv();
        env.put("INGEST_AUDIT_ADDRESS", socketAddress == null ? "" : socketAddress);
        env.put("INGEST_AUDIT_PREFIX", socketPrefix);
        env.put("AUDIT_FILE_PATH", AUDIT_FILE);
        env.put("REVOKE_ROOT_TOKEN", "false");
        env.put("APPROLE_BOUND_CIDRS", "127.0.0.1/32");
        if (onPath("age-keygen")) {
            env.put("SNAPSHOT_AGE_RECIPIENT_FILE", dir.resolve("secrets/age-recipient.txt").toString());
        }
        Files.createDirectories(dir.resolve("secrets"));
        Files.createDirectories(dir.resolve("approle"));
        scripts.run("bootstrap.sh", List.of(), env, 300);
        rootToken = VaultApi.parse(Files.readString(dir.resolve("secrets/vault-init.json"))).path("root_token")
                .asText();
        for (VaultNode n : nodes) {
            n.awaitHealth(UP, 200, 429);
        }
    }

    /** VAULT_NODES, SECRETS_DIR and APPROLE_DIR as the scripts expect them, VAULT_ADDR the first node. */
    private Map<String, String> scriptEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VAULT_NODES", nodes.stream().map(n -> n.address().toString()).collect(Collectors.joining(" ")));
        env.put("VAULT_ADDR", nodes.get(0).address().toString());
        env.put("SECRETS_DIR", dir.resolve("secrets").toString());
        env.put("APPROLE_DIR", dir.resolve("approle").toString());
        return env;
    }

    public List<VaultNode> nodes() {
        return nodes;
    }

    public TransitKms kms() {
        return kms;
    }

    public Path dir() {
        return dir;
    }

    /** The initial root token (kept: this is a dev and test cluster; bootstrap.sh revokes it in production). */
    public String rootToken() {
        return rootToken;
    }

    /** The node answering 200 on sys/health, waiting up to {@code timeout} for one. */
    public VaultNode awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<VaultNode> leader = currentLeader();
            if (leader.isPresent()) {
                return leader.get();
            }
            VaultNode.sleep(50);
        }
        StringBuilder why = new StringBuilder("no active node after " + timeout + ":");
        for (VaultNode n : nodes) {
            why.append("\n").append(n).append(" running ").append(n.running()).append(" health ")
                    .append(n.api().healthCode(false)).append("\n").append(n.logTail());
        }
        throw new IllegalStateException(why.toString());
    }

    /**
     * Waits until autopilot reports the cluster healthy with every node a healthy voter, as the rolling-upgrade
     * runbook does between two restarts (a node that answers 429 may still be catching up on the log).
     */
    public void awaitAutopilotHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode state = awaitLeader(timeout).api().get("/v1/sys/storage/raft/autopilot/state", rootToken).body();
                last = state.path("data").toString();
                int healthyVoters = 0;
                for (JsonNode server : state.at("/data/servers")) {
                    boolean voting = List.of("voter", "leader").contains(server.path("status").asText());
                    if (server.path("healthy").asBoolean() && voting) {
                        healthyVoters++;
                    }
                }
                if (state.at("/data/healthy").asBoolean() && healthyVoters == nodes.size()) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                last = e.getMessage();
            }
            VaultNode.sleep(250);
        }
        throw new IllegalStateException("autopilot not healthy after " + timeout + ": " + last);
    }

    public Optional<VaultNode> currentLeader() {
        return nodes.stream().filter(n -> n.running() && n.api().healthCode(false) == 200).findFirst();
    }

    /** {@code add-tenant.sh ID}: the tenant's entity, AppRole role and (first time) secret_id, as JSON. */
    public JsonNode addTenant(String tenant, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of(tenant));
        args.addAll(List.of(options));
        Map<String, String> env = scriptEnv();
        env.put("VAULT_TOKEN", rootToken);
        env.put("TENANT_BOUND_CIDRS", "127.0.0.1/32");
        return VaultApi.parse(scripts.run("add-tenant.sh", args, env, 120));
    }

    /** {@code snapshot.sh} with the vault-snapshot AppRole, into {@code destDir}; returns the encrypted file. */
    public Path snapshot(Path destDir) throws IOException {
        Map<String, String> env = scriptEnv();
        env.put("SNAPSHOT_DEST_DIR", destDir.toString());
        env.put("SNAPSHOT_AGE_RECIPIENT_FILE", dir.resolve("secrets/age-recipient.txt").toString());
        env.put("CLUSTER_NAME", "auditrail-it");
        scripts.run("snapshot.sh", List.of(), env, 120);
        return destDir.resolve(Files.readString(destDir.resolve("LATEST")).strip());
    }

    /** The age identity bootstrap.sh generated, which decrypts this cluster's snapshots. */
    public Path snapshotIdentity() {
        return dir.resolve("secrets/age-snapshot.key");
    }

    /** {@code restore-snapshot.sh --file F --identity I --force --yes} into this cluster, with its root token. */
    public void restore(Path encryptedSnapshot, Path identity) throws IOException {
        Map<String, String> env = scriptEnv();
        env.put("VAULT_TOKEN", rootToken);
        scripts.run("restore-snapshot.sh", List.of("--file", encryptedSnapshot.toString(), "--identity",
                identity.toString(), "--force", "--yes"), env, 120);
    }

    /** After a restore the snapshot's tokens are the valid ones: use the source cluster's root token from now on. */
    public void useRootToken(String token) {
        this.rootToken = token;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private void killAll() {
        nodes.forEach(VaultNode::kill);
        if (ownsKms) {
            kms.kill();
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }
}
