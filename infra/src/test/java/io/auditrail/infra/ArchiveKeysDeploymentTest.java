package io.auditrail.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 7, in the deployment: only the archiver gets the archive's private key and may write the bucket,
 * serve gets the archive's public key and the pack key of its own, and Object Lock is on in production.
 */
class ArchiveKeysDeploymentTest {
    private static final Set<String> CHAIN_PRIVATE = Set.of("AUDITRAIL_ARCHIVE_SIGNING_KEY",
            "AUDITRAIL_ARCHIVE_SIGNING_KEY_FILE");
    private static final String CHAIN_SECRET = "auditrail-archive-signing-key";

    private static String manifests() {
        StringBuilder all = new StringBuilder();
        for (Path p : Repo.files("infra/k8s/auditrail")) {
            String n = p.getFileName().toString();
            if (n.endsWith(".yaml") && !n.equals("kustomization.yaml")) {
                all.append(Repo.text(p)).append("\n---\n");
            }
        }
        return all.toString();
    }

    /** What is wrong with how the manifests hand out the archive's keys and bucket access. */
    static List<String> kubernetes(List<Map<String, Object>> docs) {
        List<String> v = new ArrayList<>();
        boolean archiveSeen = false;
        boolean serveSeen = false;
        for (Map<String, Object> doc : docs) {
            Object pod = Y.at(doc, "spec", "template", "spec");
            if (pod == null) {
                pod = Y.at(doc, "spec", "jobTemplate", "spec", "template", "spec");
            }
            if (pod == null) {
                continue;
            }
            String component = Y.str(doc, "spec", "template", "metadata", "labels", "app.kubernetes.io/component");
            String name = doc.get("kind") + "/" + Y.str(doc, "metadata", "name");
            Map<String, String> env = new java.util.HashMap<>();
            for (Object c : Y.list(pod, "containers")) {
                for (Object e : Y.list(c, "env")) {
                    env.put(Y.str(e, "name"), Y.str(e, "value"));
                }
            }
            boolean mountsChainSecret = Y.list(pod, "volumes").stream()
                    .anyMatch(vol -> CHAIN_SECRET.equals(Y.str(vol, "secret", "secretName")));
            String account = Y.str(pod, "serviceAccountName");
            if ("archive".equals(component)) {
                archiveSeen = true;
                if (!mountsChainSecret || env.get("AUDITRAIL_ARCHIVE_SIGNING_KEY_FILE") == null) {
                    v.add(name + ": the archiver does not get the signing key from " + CHAIN_SECRET);
                }
                if (!"compliance".equals(env.get("AUDITRAIL_ARCHIVE_OBJECT_LOCK_MODE"))) {
                    v.add(name + ": Object Lock is not in compliance mode");
                }
                String days = env.getOrDefault("AUDITRAIL_ARCHIVE_OBJECT_LOCK_RETENTION_DAYS", "0");
                if (Integer.parseInt(days) < 365) {
                    v.add(name + ": Object Lock retention of " + days + " days, less than a year");
                }
                if (!"auditrail-archive".equals(account)) {
                    v.add(name + ": runs as " + account + ", not the archive's writer account");
                }
                continue;
            }
            if (mountsChainSecret || env.keySet().stream().anyMatch(CHAIN_PRIVATE::contains)) {
                v.add(name + ": gets the archive's private key, which only the archiver may hold");
            }
            if ("auditrail-archive".equals(account)) {
                v.add(name + ": runs as the archive's writer account");
            }
            if ("serve".equals(component)) {
                serveSeen = true;
                if (env.get("AUDITRAIL_ARCHIVE_PUBLIC_KEY_FILE") == null) {
                    v.add(name + ": serve has no archive public key to check digests and raw lines with");
                }
                if (env.get("AUDITRAIL_REPORTS_EVIDENCE_SIGNING_KEY_FILE") == null) {
                    v.add(name + ": serve has no evidence pack key (packs would be unsigned)");
                }
            }
        }
        if (!archiveSeen || !serveSeen) {
            v.add("kubernetes: no archive or no serve workload");
        }
        for (Map<String, Object> doc : docs) {
            if ("ServiceAccount".equals(doc.get("kind"))) {
                String role = Y.str(doc, "metadata", "annotations", "eks.amazonaws.com/role-arn");
                String account = Y.str(doc, "metadata", "name");
                if (role != null && role.contains("archive-writer") && !"auditrail-archive".equals(account)) {
                    v.add("ServiceAccount/" + account + ": holds the archive writer role");
                }
            }
        }
        return v;
    }

    /** The same in docker-compose.yml: the archive's private key only in the archiver, serve only reading MinIO. */
    static List<String> compose(Map<String, Object> compose) {
        List<String> v = new ArrayList<>();
        Map<String, Object> services = Y.map(compose, "services");
        services.forEach((name, service) -> {
            Map<String, String> env = Invariants.env(service);
            boolean holdsChainKey = env.keySet().stream().anyMatch(CHAIN_PRIVATE::contains);
            if (holdsChainKey && !"archive".equals(name)) {
                v.add("compose: " + name + " gets the archive's private key");
            }
        });
        Map<String, String> serve = Invariants.env(services.get("serve"));
        if ("auditrail".equals(serve.get("AWS_ACCESS_KEY_ID"))) {
            v.add("compose: serve uses the archiver's MinIO user, which may write the bucket");
        }
        if (!serve.containsKey("AUDITRAIL_ARCHIVE_PUBLIC_KEY") || !serve.containsKey(
                "AUDITRAIL_REPORTS_EVIDENCE_SIGNING_KEY")) {
            v.add("compose: serve lacks the archive's public key or the pack key");
        }
        if (!Invariants.env(services.get("archive")).containsKey("AUDITRAIL_POSTGRES_URL")) {
            v.add("compose: the archiver has no database for the chain head");
        }
        return v;
    }

    @Test
    void onlyTheArchiverHoldsTheArchivesKeyAndObjectLockIsOn() {
        assertThat(kubernetes(Repo.yamlDocuments(manifests()))).isEmpty();
        assertThat(compose(Repo.yaml(Repo.text("docker-compose.yml")))).isEmpty();
    }

    @Test
    void theCheckerCatchesTheKeyInServeAndObjectLockOff() {
        String keyInServe = manifests().replace("            - name: AUDITRAIL_ARCHIVE_PUBLIC_KEY_FILE\n",
                "            - name: AUDITRAIL_ARCHIVE_SIGNING_KEY\n              value: x\n"
                        + "            - name: AUDITRAIL_ARCHIVE_PUBLIC_KEY_FILE\n");
        assertThat(kubernetes(Repo.yamlDocuments(keyInServe)))
                .anyMatch(s -> s.contains("auditrail-serve: gets the archive's private key"));
        String noLock = manifests().replace("value: compliance", "value: governance");
        assertThat(kubernetes(Repo.yamlDocuments(noLock))).anyMatch(s -> s.contains("not in compliance mode"));
        String serveWrites = manifests().replace("serviceAccountName: auditrail-serve",
                "serviceAccountName: auditrail-archive");
        assertThat(kubernetes(Repo.yamlDocuments(serveWrites))).anyMatch(s -> s.contains("writer account"));

        String composeKeyInServe = Repo.text("docker-compose.yml").replace(
                "      AUDITRAIL_REPORTS_EVIDENCE_SIGNING_KEY: ${EVIDENCE_SIGNING_KEY:-}\n",
                "      AUDITRAIL_REPORTS_EVIDENCE_SIGNING_KEY: ${EVIDENCE_SIGNING_KEY:-}\n"
                        + "      AUDITRAIL_ARCHIVE_SIGNING_KEY: ${ARCHIVE_SIGNING_KEY:-}\n");
        assertThat(compose(Repo.yaml(composeKeyInServe))).anyMatch(s -> s.contains("serve gets the archive's private"));
    }
}
