# Policy "platform-admin": day-to-day administration by the platform team (tenants, policies, auth
# roles, audit devices, Raft). Assign it to an admin identity (OIDC group in production) so the root
# token can stay revoked.
#
# It grants no path under secret/data/ (infra/src/test PolicyAndScriptTest checks that), but it is NOT a
# barrier to tenant data: whoever may write policies (sys/policies/acl/*) or identity metadata
# (identity/*: tenant_id is the tenant policy's only input) can grant themselves any tenant's secrets.
# Vault has no way to let an admin manage policies yet forbid the policies it may write. What stands instead
# is detection: every such write is audited and raises policy_change (policy writes) in auditrail, and the
# entity metadata change shows in the admin's own event trail; see docs/SECURITY.md "Platform admins".

path "sys/policies/acl/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "sys/policy/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "sys/mounts" {
  capabilities = ["read"]
}

path "sys/mounts/*" {
  capabilities = ["create", "read", "update"]
}

path "sys/auth" {
  capabilities = ["read"]
}

path "sys/auth/*" {
  capabilities = ["create", "read", "update", "sudo"]
}

path "sys/audit" {
  capabilities = ["read", "sudo"]
}

path "sys/audit/*" {
  capabilities = ["create", "read", "update", "delete", "sudo"]
}

path "auth/approle/role/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "auth/approle/role" {
  capabilities = ["list"]
}

path "identity/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "secret/metadata/tenants/*" {
  capabilities = ["read", "list", "delete"]
}

path "sys/storage/raft/*" {
  capabilities = ["create", "read", "update", "list"]
}

path "sys/storage/raft/autopilot/*" {
  capabilities = ["create", "read", "update"]
}

path "sys/step-down" {
  capabilities = ["update", "sudo"]
}
