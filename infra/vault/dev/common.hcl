# DEV ONLY: the part every node of the 3-node Raft cluster shares, passed beside the node's rendered
# node.hcl.tmpl (compose: both in /vault/config; the process-level cluster of the ITs and of
# `auditrail dev --vault`: io.auditrail.embedded.vault.VaultCluster). Production: infra/k8s/vault/values.yaml.

ui            = true
cluster_name  = "auditrail-dev"
# Raft's docs strongly recommend disable_mlock with integrated storage; keep swap off on the host.
disable_mlock = true
log_level     = "info"

telemetry {
  prometheus_retention_time = "30s"
  disable_hostname          = true
}
