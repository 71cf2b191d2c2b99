package io.auditrail.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev Raft cluster's HCL, the production chart's embedded HCL, and TLS everywhere but dev. */
class VaultConfigTest {
    private static Map<String, Hcl.Block> devNodes() {
        return DevNodeConfigs.parsed(DevNodeConfigs.renderedTexts());
    }

    @Test
    void devClusterHasThreeRaftNodesJoiningEachOtherWithAutoUnseal() {
        assertThat(Invariants.raftCluster(devNodes())).isEmpty();
        devNodes().forEach((node, cfg) -> {
            assertThat(cfg.block("seal").orElseThrow().label()).as(node).isEqualTo("transit");
            assertThat(cfg.block("storage").orElseThrow().string("node_id")).as(node).hasValue(node);
        });
    }

    @Test
    void theCheckerCatchesABrokenCluster() {
        Map<String, Hcl.Block> nodes = devNodes();
        String broken = DevNodeConfigs.renderedTexts().get("vault-2")
                .replace("node_id = \"vault-2\"", "node_id = \"vault-1\"")        // duplicate id
                .replace("http://vault-3:8200", "http://vault-2:8200")            // joins itself
                .replaceAll("(?s)seal \"transit\" \\{.*?\\n}", "");               // no seal
        nodes.put("vault-2", Hcl.parse(broken));
        assertThat(Invariants.raftCluster(nodes)).anyMatch(s -> s.contains("node_id vault-1 is not unique"))
                .anyMatch(s -> s.contains("vault-2: retry_join names [vault-1, vault-2]"))
                .anyMatch(s -> s.contains("vault-2: no seal stanza"));

        nodes.remove("vault-3");
        assertThat(Invariants.raftCluster(nodes)).anyMatch(s -> s.contains("expected 3 Raft nodes, found 2"));

        Map<String, Hcl.Block> fileSeal = devNodes();
        fileSeal.put("vault-1", Hcl.parse(DevNodeConfigs.renderedTexts().get("vault-1")
                .replace("seal \"transit\"", "seal \"file\"")));
        assertThat(Invariants.raftCluster(fileSeal)).anyMatch(s -> s.contains("seal \"file\" is not an auto-unseal seal"));
    }

    @Test
    void everyServerConfigUsesOnlyKeysTheServersKnow() {
        List<String> v = new java.util.ArrayList<>();
        DevNodeConfigs.renderedTexts().forEach((node, text) -> v.addAll(ServerConfigSchema.unknownKeys(node,
                Hcl.parse(text))));
        Map<String, String> vars = Map.of("TRANSIT_API_ADDR", "http://t:8200", "TRANSIT_CLUSTER_ADDR", "https://t:8201",
                "TRANSIT_LISTEN_ADDRESS", "0.0.0.0:8200", "TRANSIT_CLUSTER_LISTEN_ADDRESS", "0.0.0.0:8201",
                "TRANSIT_STORAGE_PATH", "/d", "AUDIT_FILE_PATH", "audit.log", "INGEST_AUDIT_ADDRESS", "i:9090",
                "INGEST_AUDIT_PREFIX", "p");
        for (String t : List.of("transit.hcl.tmpl", "audit-file.openbao.hcl.tmpl", "audit-socket.openbao.hcl.tmpl")) {
            v.addAll(ServerConfigSchema.unknownKeys(t, Hcl.parse(DevNodeConfigs.render(
                    Repo.text("infra/vault/dev/" + t), vars))));
        }
        Map<String, Object> values = Repo.yaml(Repo.text("infra/k8s/vault/values.yaml"));
        v.addAll(ServerConfigSchema.unknownKeys("values.yaml", Hcl.parse(Y.str(values, "server", "ha", "raft", "config"))));
        assertThat(v).isEmpty();
    }

    @Test
    void theSchemaCatchesAMisspeltKey() {
        String text = DevNodeConfigs.renderedTexts().get("vault-1").replace("retry_join {", "retry_jion {")
                .replace("prometheus_retention_time", "prometheus_retention");
        assertThat(ServerConfigSchema.unknownKeys("vault-1", Hcl.parse(text)))
                .anyMatch(s -> s.contains("unknown block storage/retry_jion"))
                .anyMatch(s -> s.contains("unknown key telemetry.prometheus_retention"));
    }

    @Test
    void renderingStopsOnAnUnsetVariable() {
        assertThatThrownBy(() -> DevNodeConfigs.render(Repo.text(DevNodeConfigs.TEMPLATE), Map.of("NODE_NAME", "x")))
                .hasMessageContaining("is not set");
    }

    @Test
    void productionHelmValuesAreHaRaftTlsAwskms() {
        Map<String, Object> values = Repo.yaml(Repo.text("infra/k8s/vault/values.yaml"));
        assertThat(Invariants.helmValues(values)).isEmpty();
    }

    @Test
    void theHelmCheckerCatchesTlsOffAndAMissingPeer() {
        String text = Repo.text("infra/k8s/vault/values.yaml")
                .replace("tlsDisable: false", "tlsDisable: true")
                .replace("leader_api_addr     = \"https://vault-2.vault-internal:8200\"",
                        "leader_api_addr     = \"https://vault-1.vault-internal:8200\"")
                .replace("replicas: 3", "replicas: 1")
                .replace("seal \"awskms\"", "seal \"shamir\"");
        assertThat(Invariants.helmValues(Repo.yaml(text)))
                .anyMatch(s -> s.contains("global.tlsDisable must be false"))
                .anyMatch(s -> s.contains("replicas must be 3"))
                .anyMatch(s -> s.contains("seal \"shamir\""))
                .anyMatch(s -> s.contains("retry_join names"));
    }

    @Test
    void tlsIsDisabledOnlyInDevFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        for (Path p : Repo.files("infra")) {
            String name = p.getFileName().toString();
            if (name.matches(".*\\.(hcl|hcl\\.tmpl|ya?ml|sh|env|json)") || name.endsWith("Dockerfile")) {
                files.put(Repo.relative(p), Repo.text(p));
            }
        }
        files.put("docker-compose.yml", Repo.text("docker-compose.yml"));
        assertThat(files).containsKey(DevNodeConfigs.TEMPLATE).containsKey("infra/k8s/vault/values.yaml");
        assertThat(Invariants.tlsDisabledOutsideDev(files)).isEmpty();

        Map<String, String> leak = Map.of(
                "infra/k8s/vault/values.yaml", "config: |\n  listener \"tcp\" {\n    tls_disable = 1\n  }\n",
                "infra/vault/dev/vault-1.hcl", "tls_disable = true\n",
                "infra/vault/scripts/x.sh", "# tls_disable = true in a comment is fine\nexport VAULT_SKIP_VERIFY=true\n");
        assertThat(Invariants.tlsDisabledOutsideDev(leak)).hasSize(2)
                .anyMatch(s -> s.startsWith("infra/k8s/vault/values.yaml:3"))
                .anyMatch(s -> s.startsWith("infra/vault/scripts/x.sh:2"));
    }
}
