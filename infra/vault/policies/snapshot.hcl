# Policy "raft-snapshot": take Raft snapshots (GET sys/storage/raft/snapshot), nothing else.
# Restoring is deliberately NOT granted: a restore rewinds every secret and policy, so it is an
# operator action with a root or platform-admin token (docs/runbooks/restore-snapshot.md).

path "sys/storage/raft/snapshot" {
  capabilities = ["read"]
}

path "sys/storage/raft/configuration" {
  capabilities = ["read"]
}
