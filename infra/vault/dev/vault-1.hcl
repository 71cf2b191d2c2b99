# DEV ONLY (compose): Vault node vault-1 of the 3-node Raft cluster. The three files differ only in
# the node name and in the two retry_join peers; infra/src/test/java/io/auditrail/infra/VaultConfigTest
# keeps them in step. Production config: infra/k8s/vault/values.yaml (TLS, awskms).

ui            = true
cluster_name  = "auditrail-dev"
# Raft's docs strongly recommend disable_mlock with integrated storage; keep swap off on the host.
disable_mlock = true
api_addr      = "http://vault-1:8200"
# The cluster port always speaks Vault-managed mutual TLS, even when the API listener does not.
cluster_addr  = "https://vault-1:8201"
log_level     = "info"

listener "tcp" {
  address         = "0.0.0.0:8200"
  cluster_address = "0.0.0.0:8201"
  # Dev only: the API is plain HTTP on the private compose network and on 127.0.0.1 of the host.
  tls_disable     = true

  telemetry {
    # Prometheus scrapes every node, standbys included, without a token.
    unauthenticated_metrics_access = true
  }
}

storage "raft" {
  # The image creates and chowns /vault/file; a volume mounted elsewhere would be root-owned.
  path    = "/vault/file"
  node_id = "vault-1"

  retry_join {
    leader_api_addr = "http://vault-2:8200"
  }

  retry_join {
    leader_api_addr = "http://vault-3:8200"
  }

  # Faster leader election than the default (5); keep the default in production WANs.
  performance_multiplier = 1
}

# Auto-unseal through the transit "KMS" Vault. The token (update on transit/encrypt|decrypt/autounseal
# only; orphan, periodic) is read from VAULT_TOKEN, which the container's command takes from the
# transit-seal-token volume written by transit-init.sh. Vault renews it itself.
seal "transit" {
  address         = "http://vault-transit:8200"
  key_name        = "autounseal"
  mount_path      = "transit/"
  disable_renewal = "false"
}

telemetry {
  prometheus_retention_time = "30s"
  disable_hostname          = true
}
