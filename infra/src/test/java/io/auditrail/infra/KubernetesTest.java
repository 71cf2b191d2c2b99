package io.auditrail.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KubernetesTest {
    private static String manifests() {
        StringBuilder all = new StringBuilder();
        for (Path p : Repo.files("infra/k8s/auditrail")) {
            if (p.getFileName().toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")) {
                all.append(Repo.text(p)).append("\n---\n");
            }
        }
        return all.toString();
    }

    private static Properties bootstrapEnv() throws IOException {
        Properties env = new Properties();
        env.load(new StringReader(Repo.text("infra/k8s/vault/bootstrap.env")));
        return env;
    }

    @Test
    void productionManifestsHoldTheirInvariants() throws IOException {
        List<Map<String, Object>> docs = Repo.yamlDocuments(manifests());
        assertThat(docs).hasSizeGreaterThan(10);
        assertThat(Invariants.kubernetes(docs, bootstrapEnv())).isEmpty();
    }

    @Test
    void kustomizationListsEveryManifest() {
        Map<String, Object> k = Repo.yaml(Repo.text("infra/k8s/auditrail/kustomization.yaml"));
        List<String> files = new ArrayList<>();
        for (Path p : Repo.files("infra/k8s/auditrail")) {
            String n = p.getFileName().toString();
            if (!n.equals("kustomization.yaml") && !n.equals("migrate-job.yaml")) {
                files.add(n);
            }
        }
        assertThat(Y.list(k, "resources")).map(String::valueOf).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void theCheckerCatchesAnExposedIngestAndMissingProbes() throws IOException {
        String broken = manifests()
                .replace("  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: auditrail\n    app.kubernetes.io/component: ingest",
                        "  type: NodePort\n  selector:\n    app.kubernetes.io/name: auditrail\n    app.kubernetes.io/component: ingest")
                .replace("              app.kubernetes.io/name: vault\n              component: server",
                        "              app.kubernetes.io/name: anything")
                .replace("path: /readyz", "path: /healthz")
                .replace("kind: PodDisruptionBudget", "kind: ConfigMap");
        List<String> v = Invariants.kubernetes(Repo.yamlDocuments(broken), bootstrapEnv());
        assertThat(v).anyMatch(s -> s.contains("ingest exposed outside the cluster (type NodePort)"))
                .anyMatch(s -> s.contains("admits a peer other than the Vault pods to ingest's port 9090"))
                .anyMatch(s -> s.contains("readiness probe is not GET /readyz"))
                .anyMatch(s -> s.contains("replicas but no PodDisruptionBudget"));

        String hostNet = manifests().replaceFirst("(?m)^      serviceAccountName: auditrail\n",
                "      serviceAccountName: auditrail\n      hostNetwork: true\n");
        assertThat(Invariants.kubernetes(Repo.yamlDocuments(hostNet), bootstrapEnv())).anyMatch(s -> s.endsWith(": hostNetwork"));

        Properties wrong = bootstrapEnv();
        wrong.setProperty("INGEST_AUDIT_ADDRESS", "auditrail-ingest.auditrail.svc.cluster.local:9999");
        assertThat(Invariants.kubernetes(Repo.yamlDocuments(manifests()), wrong))
                .anyMatch(s -> s.contains("is not an ingest Service port"));
    }

    @Test
    void snapshotCronJobRunsDailyWithoutRootAndEncrypts() {
        List<Map<String, Object>> docs = Repo.yamlDocuments(Repo.text("infra/k8s/vault/snapshot-cronjob.yaml"));
        Map<String, Object> cron = docs.stream().filter(d -> "CronJob".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(Y.str(cron, "spec", "schedule")).matches("\\d+ \\d+ \\* \\* \\*");
        assertThat(Y.at(cron, "spec", "jobTemplate", "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
        Map<String, Object> cm = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(Y.map(cm, "data")).containsKeys("SNAPSHOT_AGE_RECIPIENT", "SNAPSHOT_SSE", "SNAPSHOT_S3_BUCKET");
    }
}
