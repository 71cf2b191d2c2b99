package io.auditrail.infra;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invariants of the deployment, as functions from parsed files to a list of violations (empty
 * when all hold). The tests run them on the real files and on broken snippets, so each check is
 * seen to pass and to fail.
 */
final class Invariants {
    static final Set<String> AUTO_UNSEAL_SEALS =
            Set.of("transit", "awskms", "gcpckms", "azurekeyvault", "ocikms", "alicloudkms", "pkcs11");
    static final List<String> STAGES = List.of("ingest", "streams", "index", "archive", "alerts", "serve");
    private static final Pattern TLS_OFF = Pattern.compile(
            "(?i)(tls_disable\\s*=\\s*\"?(true|1)\"?|tlsDisable\\s*:\\s*\"?true|tls_skip_verify\\s*=\\s*\"?(true|1)|VAULT_SKIP_VERIFY\\s*[=:]\\s*\"?(true|1))");

    private Invariants() {
    }

    // ---- Raft cluster in HCL ------------------------------------------------------------------

    /**
     * One HCL config per node (key: the node's host name): three nodes, distinct node ids, each
     * retry_join naming exactly the other nodes, an auto-unseal seal stanza on every node.
     */
    static List<String> raftCluster(Map<String, Hcl.Block> nodes) {
        List<String> v = new ArrayList<>();
        if (nodes.size() != 3) {
            v.add("expected 3 Raft nodes, found " + nodes.size() + " " + nodes.keySet());
        }
        Set<String> ids = new HashSet<>();
        for (var e : nodes.entrySet()) {
            String node = e.getKey();
            Hcl.Block cfg = e.getValue();
            List<Hcl.Block> storage = cfg.blocks("storage");
            if (storage.size() != 1 || !storage.get(0).label().equals("raft")) {
                v.add(node + ": needs exactly one storage \"raft\" block");
                continue;
            }
            Hcl.Block raft = storage.get(0);
            String id = raft.string("node_id").orElse(null);
            if (id == null) {
                v.add(node + ": storage raft has no node_id");
            } else if (!ids.add(id)) {
                v.add(node + ": node_id " + id + " is not unique");
            }
            Set<String> joined = new TreeSet<>();
            for (Hcl.Block rj : raft.blocks("retry_join")) {
                String addr = rj.string("leader_api_addr").orElse(null);
                if (addr == null) {
                    v.add(node + ": retry_join without leader_api_addr");
                } else {
                    joined.add(host(addr));
                }
            }
            Set<String> others = new TreeSet<>(nodes.keySet());
            others.remove(node);
            if (!joined.equals(others)) {
                v.add(node + ": retry_join names " + joined + ", expected the other nodes " + others);
            }
            v.addAll(seal(node, cfg));
            String api = cfg.string("api_addr").orElse("");
            if (!host(api).equals(node)) {
                v.add(node + ": api_addr " + api + " does not name the node itself");
            }
            if (!cfg.string("cluster_addr").orElse("").startsWith("https://" + node + ":")) {
                v.add(node + ": cluster_addr must be https://" + node + ":<port>");
            }
            if (cfg.blocks("listener").isEmpty()) {
                v.add(node + ": no listener");
            }
            if (cfg.block("telemetry").isEmpty()) {
                v.add(node + ": no telemetry block (Prometheus metrics)");
            }
        }
        return v;
    }

    static List<String> seal(String node, Hcl.Block cfg) {
        List<Hcl.Block> seals = cfg.blocks("seal");
        if (seals.isEmpty()) {
            return List.of(node + ": no seal stanza (Shamir: every restart needs manual unsealing)");
        }
        List<String> v = new ArrayList<>();
        for (Hcl.Block s : seals) {
            if (!AUTO_UNSEAL_SEALS.contains(s.label())) {
                v.add(node + ": seal \"" + s.label() + "\" is not an auto-unseal seal Vault knows");
            }
            if (s.string("disabled").map(Boolean::parseBoolean).orElse(false)) {
                v.add(node + ": seal is disabled");
            }
        }
        return v;
    }

    /** Values of the official Vault chart: HA Raft, 3 replicas, PDB, anti-affinity, TLS, awskms, audit storage. */
    static List<String> helmValues(Map<String, Object> values) {
        List<String> v = new ArrayList<>();
        Object server = values.get("server");
        if (!Boolean.FALSE.equals(Y.at(values, "global", "tlsDisable"))) {
            v.add("global.tlsDisable must be false");
        }
        if (!Boolean.TRUE.equals(Y.at(server, "ha", "enabled"))) {
            v.add("server.ha.enabled must be true");
        }
        Object replicas = Y.at(server, "ha", "replicas");
        if (!Integer.valueOf(3).equals(replicas)) {
            v.add("server.ha.replicas must be 3, is " + replicas);
        }
        if (!Boolean.TRUE.equals(Y.at(server, "ha", "raft", "enabled"))) {
            v.add("server.ha.raft.enabled must be true");
        }
        if (!Boolean.TRUE.equals(Y.at(server, "ha", "raft", "setNodeId"))) {
            v.add("server.ha.raft.setNodeId must be true (distinct node ids = pod names)");
        }
        if (!Boolean.TRUE.equals(Y.at(server, "ha", "disruptionBudget", "enabled"))) {
            v.add("server.ha.disruptionBudget.enabled must be true");
        }
        Object maxUnavailable = Y.at(server, "ha", "disruptionBudget", "maxUnavailable");
        if (!(maxUnavailable instanceof Integer i && i == 1)) {
            v.add("server.ha.disruptionBudget.maxUnavailable must be 1, is " + maxUnavailable);
        }
        String affinity = Objects.toString(Y.at(server, "affinity"), "");
        if (!affinity.contains("podAntiAffinity") || !affinity.contains("requiredDuringScheduling")
                || !affinity.contains("kubernetes.io/hostname")) {
            v.add("server.affinity must require pod anti-affinity per host");
        }
        if (!Boolean.TRUE.equals(Y.at(server, "auditStorage", "enabled"))) {
            v.add("server.auditStorage.enabled must be true (file audit device on a volume)");
        }
        if (!Boolean.TRUE.equals(Y.at(server, "dataStorage", "enabled"))) {
            v.add("server.dataStorage.enabled must be true (Raft data on a volume)");
        }
        String readiness = Objects.toString(Y.at(server, "readinessProbe", "path"), "");
        if (!readiness.startsWith("/v1/sys/health")) {
            v.add("server.readinessProbe.path must use /v1/sys/health");
        }
        String config = Y.str(server, "ha", "raft", "config");
        if (config == null) {
            v.add("server.ha.raft.config missing");
            return v;
        }
        Hcl.Block cfg = Hcl.parse(config);
        List<String> sealViolations = seal("helm", cfg);
        v.addAll(sealViolations);
        if (sealViolations.isEmpty() && cfg.blocks("seal").stream().noneMatch(s -> s.label().equals("awskms"))) {
            v.add("helm: production seal must be awskms");
        }
        Hcl.Block raft = cfg.blocks("storage").stream().filter(s -> s.label().equals("raft")).findFirst().orElse(null);
        if (raft == null) {
            v.add("helm: no storage \"raft\"");
        } else {
            Set<String> hosts = new TreeSet<>();
            for (Hcl.Block rj : raft.blocks("retry_join")) {
                String addr = rj.string("leader_api_addr").orElse("");
                if (!addr.startsWith("https://")) {
                    v.add("helm: retry_join " + addr + " is not https");
                }
                if (rj.string("leader_ca_cert_file").isEmpty() && rj.string("leader_ca_cert").isEmpty()) {
                    v.add("helm: retry_join " + addr + " has no leader CA");
                }
                hosts.add(host(addr));
            }
            int n = replicas instanceof Integer i ? i : 3;
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                expected.add("vault-" + i + ".vault-internal");
            }
            if (!hosts.equals(expected)) {
                v.add("helm: retry_join names " + hosts + ", expected every replica " + expected);
            }
        }
        for (Hcl.Block l : cfg.blocks("listener")) {
            if (l.string("tls_cert_file").isEmpty() || l.string("tls_key_file").isEmpty()) {
                v.add("helm: listener without tls_cert_file/tls_key_file");
            }
        }
        if (TLS_OFF.matcher(config).find()) {
            v.add("helm: TLS disabled in the production config");
        }
        return v;
    }

    // ---- TLS ------------------------------------------------------------------------------------

    /** Files (relative path -> text) that turn TLS off, or skip its verification, outside dev files. */
    static List<String> tlsDisabledOutsideDev(Map<String, String> files) {
        List<String> v = new ArrayList<>();
        for (var e : files.entrySet()) {
            if (isDevFile(e.getKey())) {
                continue;
            }
            int n = 0;
            for (String line : e.getValue().split("\n", -1)) {
                n++;
                String code = line.strip();
                if (code.startsWith("#") || code.startsWith("//")) {
                    continue;
                }
                if (TLS_OFF.matcher(code).find()) {
                    v.add(e.getKey() + ":" + n + ": TLS disabled outside dev files: " + code);
                }
            }
        }
        return v;
    }

    static boolean isDevFile(String relative) {
        return relative.startsWith("infra/vault/dev/");
    }

    // ---- docker-compose ---------------------------------------------------------------------------

    static List<String> compose(Map<String, Object> compose, String bootstrapScript) {
        List<String> v = new ArrayList<>();
        Map<String, Object> services = Y.map(compose, "services");
        List<String> nodes = services.keySet().stream().filter(s -> s.matches("vault-\\d+")).sorted().toList();
        if (nodes.size() != 3) {
            v.add("compose: expected services vault-1..3, found " + nodes);
        }
        for (String node : nodes) {
            Object svc = services.get(node);
            if (!String.valueOf(Y.at(svc, "entrypoint")).contains("render-config.sh " + "/" + DevNodeConfigs.TEMPLATE)
                    || Y.list(svc, "volumes").stream().map(String::valueOf)
                    .noneMatch(m -> m.equals("./infra/vault:/infra/vault:ro"))) {
                v.add("compose: " + node + " does not render its config from " + DevNodeConfigs.TEMPLATE);
            }
            if (Y.list(svc, "volumes").stream().map(String::valueOf).noneMatch(m -> m.endsWith(":/vault/file"))) {
                v.add("compose: " + node + " keeps its Raft data (/vault/file) on no volume");
            }
            if (!String.valueOf(Y.at(svc, "healthcheck", "test")).contains("/v1/sys/health")) {
                v.add("compose: " + node + " has no health check on /v1/sys/health");
            }
        }
        Object transit = services.get("vault-transit");
        if (transit == null) {
            v.add("compose: no vault-transit (the dev KMS)");
        } else {
            if ((Y.at(transit, "command") + " " + Y.at(transit, "entrypoint")).contains("-dev")) {
                v.add("compose: vault-transit runs -dev (in-memory): a restart would orphan the cluster");
            }
            if (Y.list(transit, "volumes").stream().map(String::valueOf).noneMatch(m -> m.endsWith(":/vault/file"))) {
                v.add("compose: vault-transit has no persistent storage volume");
            }
        }
        // the socket audit device address: bootstrap env == script default == ingest service name:port
        Map<String, String> bootEnv = env(services.get("vault-bootstrap"));
        String address = bootEnv.get("INGEST_AUDIT_ADDRESS");
        Matcher d = Pattern.compile("INGEST_AUDIT_ADDRESS=\"\\$\\{INGEST_AUDIT_ADDRESS:-([^}]*)}\"").matcher(bootstrapScript);
        String scriptDefault = d.find() ? d.group(1) : null;
        if (address == null) {
            v.add("compose: vault-bootstrap has no INGEST_AUDIT_ADDRESS");
            return v;
        }
        if (!address.equals(scriptDefault)) {
            v.add("compose: INGEST_AUDIT_ADDRESS " + address + " differs from bootstrap.sh's default " + scriptDefault);
        }
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        String port = colon < 0 ? "" : address.substring(colon + 1);
        Object ingest = services.get(host);
        if (ingest == null) {
            v.add("compose: the socket audit address " + address + " names no service");
            return v;
        }
        if (!List.of("ingest").equals(Y.list(ingest, "command"))) {
            v.add("compose: service " + host + " does not run `auditrail ingest`");
        }
        String listen = env(ingest).getOrDefault("AUDITRAIL_INGEST_LISTEN_ADDRESS", "127.0.0.1:9090");
        if (!listen.endsWith(":" + port) || listen.startsWith("127.")) {
            v.add("compose: ingest listens on " + listen + ", but Vault sends to " + address);
        }
        if (Y.list(ingest, "expose").stream().map(String::valueOf).noneMatch(port::equals)) {
            v.add("compose: ingest does not expose " + port + " to the compose network");
        }
        if (!Y.list(ingest, "ports").isEmpty()) {
            v.add("compose: ingest publishes ports to the host " + Y.list(ingest, "ports")
                    + ": the socket device is plain TCP, keep it on vault-net");
        }
        Set<String> ingestNets = networks(ingest);
        for (String node : nodes) {
            Set<String> shared = new HashSet<>(networks(services.get(node)));
            shared.retainAll(ingestNets);
            if (shared.isEmpty()) {
                v.add("compose: " + node + " shares no network with ingest");
            }
        }
        Matcher wt = Pattern.compile("write_timeout=(\\S+)").matcher(bootstrapScript);
        while (wt.find()) {
            if (wt.group(1).matches("0+s?")) {
                v.add("bootstrap.sh: write_timeout=0 makes every socket audit write fail");
            }
        }
        if (!bootstrapScript.contains("vault audit enable -path=file") || !bootstrapScript.contains(" file file_path=")) {
            v.add("bootstrap.sh: no file audit device (the fallback while the pipeline is down)");
        }
        for (String stage : STAGES) {
            Object svc = services.get(stage);
            if (svc == null) {
                v.add("compose: no service for stage " + stage);
            } else if (!List.of(stage).equals(Y.list(svc, "command"))) {
                v.add("compose: service " + stage + " does not run `auditrail " + stage + "`");
            }
        }
        return v;
    }

    static Map<String, String> env(Object service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = Y.at(service, "environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, val) -> env.put(String.valueOf(k), val == null ? null : String.valueOf(val)));
        } else if (e instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    private static Set<String> networks(Object service) {
        Object n = Y.at(service, "networks");
        Set<String> out = new TreeSet<>();
        if (n instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> out.add(String.valueOf(k)));
        } else if (n instanceof List<?> l) {
            l.forEach(k -> out.add(String.valueOf(k)));
        } else {
            out.add("default");
        }
        return out;
    }

    // ---- Kubernetes manifests -----------------------------------------------------------------------

    static List<String> kubernetes(List<Map<String, Object>> docs, Properties bootstrapEnv) {
        List<String> v = new ArrayList<>();
        Map<String, String> ingestLabels = Map.of("app.kubernetes.io/name", "auditrail", "app.kubernetes.io/component", "ingest");
        List<Map<String, Object>> workloads = docs.stream()
                .filter(d -> Set.of("Deployment", "StatefulSet").contains(d.get("kind"))).toList();
        List<Map<String, Object>> pdbs = docs.stream().filter(d -> "PodDisruptionBudget".equals(d.get("kind"))).toList();
        Set<String> stagesSeen = new TreeSet<>();
        for (Map<String, Object> doc : docs) {
            Object pod = podSpec(doc);
            String name = doc.get("kind") + "/" + Y.str(doc, "metadata", "name");
            if (pod != null) {
                if (Boolean.TRUE.equals(Y.at(pod, "hostNetwork"))) {
                    v.add(name + ": hostNetwork");
                }
                for (Object c : Y.list(pod, "containers")) {
                    for (Object p : Y.list(c, "ports")) {
                        if (Y.at(p, "hostPort") != null) {
                            v.add(name + ": hostPort " + Y.at(p, "hostPort"));
                        }
                    }
                }
            }
            if ("Service".equals(doc.get("kind")) && selects(Y.map(doc, "spec", "selector"), ingestLabels)) {
                String type = Objects.toString(Y.at(doc, "spec", "type"), "ClusterIP");
                if (!type.equals("ClusterIP") || Y.at(doc, "spec", "externalIPs") != null) {
                    v.add(name + ": ingest exposed outside the cluster (type " + type + ")");
                }
            }
        }
        for (Map<String, Object> w : workloads) {
            String name = w.get("kind") + "/" + Y.str(w, "metadata", "name");
            Map<String, Object> labels = Y.map(w, "spec", "template", "metadata", "labels");
            stagesSeen.add(String.valueOf(labels.get("app.kubernetes.io/component")));
            Object pod = podSpec(w);
            if (Y.at(pod, "affinity", "podAntiAffinity") == null) {
                v.add(name + ": no pod anti-affinity");
            }
            if (!"true".equals(Y.str(w, "spec", "template", "metadata", "annotations", "prometheus.io/scrape"))) {
                v.add(name + ": no metrics scraping annotation");
            }
            for (Object c : Y.list(pod, "containers")) {
                if (!"/healthz".equals(Y.str(c, "livenessProbe", "httpGet", "path"))) {
                    v.add(name + ": liveness probe is not GET /healthz");
                }
                if (!"/readyz".equals(Y.str(c, "readinessProbe", "httpGet", "path"))) {
                    v.add(name + ": readiness probe is not GET /readyz");
                }
                if (Y.at(c, "resources", "requests", "cpu") == null || Y.at(c, "resources", "requests", "memory") == null) {
                    v.add(name + ": no cpu/memory requests");
                }
            }
            Object replicas = Y.at(w, "spec", "replicas");
            if (replicas instanceof Integer r && r > 1 && pdbs.stream()
                    .noneMatch(p -> selects(Y.map(p, "spec", "selector", "matchLabels"), stringMap(labels)))) {
                v.add(name + ": " + r + " replicas but no PodDisruptionBudget");
            }
        }
        for (String stage : STAGES) {
            if (!stagesSeen.contains(stage)) {
                v.add("kubernetes: no workload for stage " + stage);
            }
        }
        v.addAll(ingestNetworkPolicy(docs, ingestLabels));
        // the production socket audit address names the ingest Service and its port
        String address = bootstrapEnv.getProperty("INGEST_AUDIT_ADDRESS", "");
        Matcher m = Pattern.compile("([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc(?:\\.cluster\\.local)?:(\\d+)").matcher(address);
        if (!m.matches()) {
            v.add("bootstrap.env: INGEST_AUDIT_ADDRESS " + address + " is not <service>.<namespace>.svc...:<port>");
        } else {
            boolean found = docs.stream().anyMatch(d -> "Service".equals(d.get("kind"))
                    && m.group(1).equals(Y.str(d, "metadata", "name"))
                    && m.group(2).equals(Y.str(d, "metadata", "namespace"))
                    && selects(Y.map(d, "spec", "selector"), ingestLabels)
                    && Y.list(d, "spec", "ports").stream().anyMatch(p -> m.group(3).equals(Y.str(p, "port"))));
            if (!found) {
                v.add("bootstrap.env: " + address + " is not an ingest Service port in the manifests");
            }
        }
        return v;
    }

    private static List<String> ingestNetworkPolicy(List<Map<String, Object>> docs, Map<String, String> ingestLabels) {
        List<String> v = new ArrayList<>();
        boolean defaultDeny = false;
        boolean allowsVault = false;
        for (Map<String, Object> np : docs) {
            if (!"NetworkPolicy".equals(np.get("kind"))) {
                continue;
            }
            Map<String, Object> selector = Y.map(np, "spec", "podSelector");
            List<?> types = Y.list(np, "spec", "policyTypes");
            if (selector.isEmpty() && types.contains("Ingress") && Y.at(np, "spec", "ingress") == null) {
                defaultDeny = true;
            }
            if (!selects(Y.map(selector, "matchLabels"), ingestLabels) && !selector.isEmpty()) {
                continue;
            }
            for (Object rule : Y.list(np, "spec", "ingress")) {
                List<?> ports = Y.list(rule, "ports");
                boolean coversAudit = ports.isEmpty() || ports.stream().anyMatch(p -> "9090".equals(Y.str(p, "port")));
                if (!coversAudit) {
                    continue;
                }
                List<?> from = Y.list(rule, "from");
                if (from.isEmpty()) {
                    v.add("NetworkPolicy/" + Y.str(np, "metadata", "name") + ": admits anyone to ingest's port 9090");
                }
                for (Object peer : from) {
                    boolean vaultPods = "vault".equals(Y.str(peer, "podSelector", "matchLabels", "app.kubernetes.io/name"))
                            && Y.at(peer, "ipBlock") == null;
                    if (!vaultPods) {
                        v.add("NetworkPolicy/" + Y.str(np, "metadata", "name")
                                + ": admits a peer other than the Vault pods to ingest's port 9090: " + peer);
                    } else {
                        allowsVault = true;
                    }
                }
            }
        }
        if (!defaultDeny) {
            v.add("kubernetes: no default-deny NetworkPolicy in the auditrail namespace");
        }
        if (!allowsVault) {
            v.add("kubernetes: no NetworkPolicy admits the Vault pods to ingest's port 9090");
        }
        return v;
    }

    private static Object podSpec(Map<String, Object> doc) {
        Object kind = doc.get("kind");
        if (Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet").contains(kind)) {
            return Y.at(doc, "spec", "template", "spec");
        }
        if ("CronJob".equals(kind)) {
            return Y.at(doc, "spec", "jobTemplate", "spec", "template", "spec");
        }
        if ("Pod".equals(kind)) {
            return Y.at(doc, "spec");
        }
        return null;
    }

    private static Map<String, String> stringMap(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(k, String.valueOf(val)));
        return out;
    }

    /** Whether a label selector (non-empty) matches pods carrying {@code labels}. */
    static boolean selects(Map<String, ?> selector, Map<String, String> labels) {
        if (selector.isEmpty()) {
            return false;
        }
        return selector.entrySet().stream().allMatch(e -> String.valueOf(e.getValue()).equals(labels.get(e.getKey())));
    }

    // ---- policies -----------------------------------------------------------------------------------

    static final String TENANT_TEMPLATE = "{{identity.entity.metadata.tenant_id}}";

    /** The tenant policy confines to the tenant's own prefix under secret/ and grants nothing else. */
    static List<String> tenantPolicy(Hcl.Block policy) {
        List<String> v = new ArrayList<>();
        if (policy.blocks("path").isEmpty()) {
            v.add("tenant policy grants no path");
        }
        for (Hcl.Block p : policy.blocks("path")) {
            String path = p.label();
            if (!path.matches("secret/(data|metadata|delete|undelete)/tenants/" + Pattern.quote(TENANT_TEMPLATE) + "/\\*?")) {
                v.add("tenant policy path outside the tenant's own prefix: " + path);
            }
            Object caps = p.attributes().get("capabilities");
            if (caps instanceof List<?> l && (l.contains("sudo") || l.contains("deny") && l.size() > 1)) {
                v.add("tenant policy path " + path + " grants " + l);
            }
        }
        if (policy.blocks("path").stream().noneMatch(p -> p.label().startsWith("secret/data/tenants/" + TENANT_TEMPLATE + "/"))) {
            v.add("tenant policy does not grant secret/data/tenants/" + TENANT_TEMPLATE + "/*");
        }
        return v;
    }

    /**
     * Whether a policy path (Vault's glob: a trailing {@code *} is a prefix match, {@code +} one segment) grants
     * read or write on another tenant's secret data, e.g. {@code secret/data/*}, {@code secret/+/tenants/*},
     * {@code +/data/*}, {@code *}: tested against concrete KV v2 paths of a tenant the policy is not for.
     */
    static boolean reachesTenantData(String policyPath) {
        StringBuilder re = new StringBuilder();
        String p = policyPath;
        boolean prefix = p.endsWith("*");
        if (prefix) {
            p = p.substring(0, p.length() - 1);
        }
        for (String part : p.split("(?<=/)|(?=/)|(?<=\\+)|(?=\\+)")) {
            re.append(part.equals("+") ? "[^/]+" : Pattern.quote(part));
        }
        if (prefix) {
            re.append(".*");
        }
        Pattern grant = Pattern.compile(re.toString());
        // data, not metadata: secret/metadata/tenants/* (remove-tenant.sh's purge) lists and deletes, it reads nothing
        return List.of("secret/data/tenants/other-tenant/db", "secret/data/tenants/other-tenant/")
                .stream().anyMatch(path -> grant.matcher(path).matches());
    }

    static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "" : h;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
