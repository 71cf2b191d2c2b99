# DEV ONLY: the stand-in "KMS" for the compose stack. A separate Vault whose transit engine holds the
# key that auto-unseals vault-1..3 (HashiCorp Vault has no `seal "file"`). Production uses awskms
# (infra/k8s/vault/values.yaml). Plain HTTP is acceptable only because this listener is reachable
# solely on the compose network `transit-net` (internal: no host port, no route out).
#
# Persistent file storage (volume transit-data): restarting this container must not orphan the
# cluster. It is Shamir-sealed (1 key share, kept in the transit-secrets volume) and
# infra/vault/scripts/transit-init.sh unseals it on every `docker-compose up`.

ui            = false
disable_mlock = true
api_addr      = "http://vault-transit:8200"

storage "file" {
  path = "/vault/file"
}

listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = true
}
