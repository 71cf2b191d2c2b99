# Policy "platform-admin": day-to-day administration by the platform team (tenants, policies, auth
# roles, audit devices, Raft). Assign it to an admin identity (OIDC group in production) so the root
# token can stay revoked. It does not grant reading tenants' secret data.

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
