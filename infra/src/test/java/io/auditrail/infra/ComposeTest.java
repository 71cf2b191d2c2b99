package io.auditrail.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeTest {
    private static final String BOOTSTRAP = "infra/vault/scripts/bootstrap.sh";

    @Test
    void composeStackHoldsItsInvariants() {
        Map<String, Object> compose = Repo.yaml(Repo.text("docker-compose.yml"));
        assertThat(Invariants.compose(compose, Repo.text(BOOTSTRAP))).isEmpty();
    }

    @Test
    void everyServiceTheIssueAsksForIsThere() {
        Map<String, Object> services = Y.map(Repo.yaml(Repo.text("docker-compose.yml")), "services");
        assertThat(services).containsKeys("vault-transit", "transit-init", "vault-1", "vault-2", "vault-3",
                "vault-bootstrap", "vault-snapshot", "kafka", "postgres", "minio", "minio-init", "migrate", "prometheus");
        assertThat(Y.str(services.get("kafka"), "image")).contains("apache/kafka");
        assertThat(Invariants.env(services.get("kafka")).get("KAFKA_PROCESS_ROLES")).contains("controller");
        assertThat(Y.list(services.get("prometheus"), "volumes")).map(String::valueOf)
                .anyMatch(v -> v.startsWith("./infra/prometheus:"));
        Map<String, Object> transitNet = Y.map(Repo.yaml(Repo.text("docker-compose.yml")), "networks", "transit-net");
        assertThat(transitNet).containsEntry("internal", true);
    }

    @Test
    void theCheckerCatchesAMismatchedAuditAddressAndAnExposedIngest() {
        String text = Repo.text("docker-compose.yml")
                .replace("INGEST_AUDIT_ADDRESS: ingest:9090", "INGEST_AUDIT_ADDRESS: ingest:9091")
                .replace("    expose: [\"9090\", \"8080\"]", "    expose: [\"9090\", \"8080\"]\n    ports: [\"9090:9090\"]");
        List<String> v = Invariants.compose(Repo.yaml(text), Repo.text(BOOTSTRAP));
        assertThat(v).anyMatch(s -> s.contains("differs from bootstrap.sh's default ingest:9090"))
                .anyMatch(s -> s.contains("ingest listens on 10.213.90.10:9090, but Vault sends to ingest:9091"))
                .anyMatch(s -> s.contains("ingest publishes ports to the host"));

        String zeroTimeout = Repo.text(BOOTSTRAP).replace("write_timeout=2s", "write_timeout=0");
        assertThat(Invariants.compose(Repo.yaml(Repo.text("docker-compose.yml")), zeroTimeout))
                .anyMatch(s -> s.contains("write_timeout=0"));

        String devTransit = Repo.text("docker-compose.yml").replace("        exec docker-entrypoint.sh server\n", "        exec docker-entrypoint.sh server -dev\n");
        assertThat(Invariants.compose(Repo.yaml(devTransit), Repo.text(BOOTSTRAP)))
                .anyMatch(s -> s.contains("vault-transit runs -dev"));
    }
}
