# Policy "auditrail-app": the auditrail services (AppRole "auditrail", 1 h renewable tokens).
# Read-only access to the pipeline's own configuration and credentials, nothing of any tenant.

path "secret/data/platform/auditrail/*" {
  capabilities = ["read"]
}

path "secret/metadata/platform/auditrail/*" {
  capabilities = ["read", "list"]
}

# Compute the HMAC of a known value with the socket device's salt, so an investigator can look up
# "which entries used token X" without the audit log ever holding X (POST sys/audit-hash/:path).
path "sys/audit-hash/auditrail" {
  capabilities = ["update"]
}

# The tenant directory (vault.audit.tenants) is built from identity entities and their tenant_id.
path "identity/entity/id" {
  capabilities = ["list"]
}

path "identity/entity/id/*" {
  capabilities = ["read"]
}

# Renew and look up its own token (also granted by the "default" policy; stated for clarity).
path "auth/token/renew-self" {
  capabilities = ["update"]
}

path "auth/token/lookup-self" {
  capabilities = ["read"]
}
