# Policy "autounseal" on the transit "KMS" Vault (dev): what a cluster node's seal token may do.

path "transit/encrypt/autounseal" {
  capabilities = ["update"]
}

path "transit/decrypt/autounseal" {
  capabilities = ["update"]
}
