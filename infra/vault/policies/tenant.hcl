# Policy "tenant": ONE templated policy for every tenant (see docs/runbooks/tenants.md for why
# templating rather than one policy per tenant).
#
# {{identity.entity.metadata.tenant_id}} is the tenant_id metadata of the caller's identity entity,
# which only add-tenant.sh (a platform admin) sets. A caller whose entity has no tenant_id gets
# nothing from this policy: Vault drops a path whose template does not resolve. Tenant ids are
# restricted by add-tenant.sh to [a-z0-9-] so the template can never widen into a glob or another
# path segment.
#
# KV v2 is mounted at secret/. A tenant may manage its own secrets and their versions, but may not
# destroy versions permanently (evidence retention) nor touch any other tenant's prefix.

path "secret/data/tenants/{{identity.entity.metadata.tenant_id}}/*" {
  capabilities = ["create", "read", "update", "delete", "patch"]
}

path "secret/metadata/tenants/{{identity.entity.metadata.tenant_id}}/*" {
  capabilities = ["read", "list"]
}

# Listing the root of the tenant's own prefix.
path "secret/metadata/tenants/{{identity.entity.metadata.tenant_id}}/" {
  capabilities = ["list"]
}

path "secret/delete/tenants/{{identity.entity.metadata.tenant_id}}/*" {
  capabilities = ["update"]
}

path "secret/undelete/tenants/{{identity.entity.metadata.tenant_id}}/*" {
  capabilities = ["update"]
}
