#!/usr/bin/env bash
# DEV ONLY. Prepares the transit "KMS" Vault that auto-unseals vault-1..3, on every `docker-compose up`
# (idempotent): initialise it once (1 Shamir share; dev), unseal it after a restart, make sure the
# transit engine, the "autounseal" key and its policy exist, and that the cluster nodes' seal token
# (orphan, periodic 24 h, renewed by the nodes) is valid, creating a new one only when it is not.
#
#   TRANSIT_ADDR          default http://vault-transit:8200
#   TRANSIT_SECRETS_DIR   unseal key + root token of the transit Vault (volume, this service only)
#   SEAL_TOKEN_FILE       where the nodes read their seal token (volume, mounted read-only by them)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need vault curl jq

TRANSIT_ADDR="${TRANSIT_ADDR:-http://vault-transit:8200}"
TRANSIT_SECRETS_DIR="${TRANSIT_SECRETS_DIR:-/transit-secrets}"
SEAL_TOKEN_FILE="${SEAL_TOKEN_FILE:-/seal-token/token}"
POLICY_FILE="${POLICY_FILE:-$(dirname "$0")/../policies/transit-autounseal.hcl}"
export VAULT_ADDR="$TRANSIT_ADDR"
umask 077

retry 60 2 api_reachable "$VAULT_ADDR" || die "transit Vault at $VAULT_ADDR not reachable after 120 s"
init="$TRANSIT_SECRETS_DIR/transit-init.json"

if ! is_initialized "$VAULT_ADDR"; then
  [ ! -e "$init" ] || die "$init exists but the transit Vault is not initialised: its storage was lost; \
the cluster's seal key is gone with it (see docs/runbooks/kms-unavailable.md)"
  log "initialising the transit Vault"
  write_secret_file "$init" "$(vault operator init -key-shares=1 -key-threshold=1 -format=json)"
fi
[ -r "$init" ] || die "the transit Vault is initialised but $init is missing: cannot unseal it"

if ! is_unsealed "$VAULT_ADDR"; then
  log "unsealing the transit Vault"
  vault operator unseal "$(jq -r '.unseal_keys_b64[0]' "$init")" >/dev/null
fi
retry 30 1 is_unsealed "$VAULT_ADDR" || die "transit Vault still sealed"

VAULT_TOKEN="$(jq -r .root_token "$init")"
export VAULT_TOKEN
retry 30 2 vault token lookup >/dev/null 2>&1 || die "transit Vault not serving requests"

if is_openbao; then
  # OpenBao refuses API-created audit devices (unsafe_allow_api_audit_creation): the KMS goes unaudited in
  # the process-level cluster; its node log records seal operations.
  log "OpenBao: no audit device on the transit KMS (declare one in its config to audit it)"
elif ! vault audit list -format=json 2>/dev/null | jq -e 'has("stdout/")' >/dev/null; then
  # The KMS is audited too: every encrypt/decrypt by a node shows in `docker-compose logs vault-transit`.
  vault audit enable -path=stdout file file_path=stdout >/dev/null
fi
if ! vault secrets list -format=json | jq -e 'has("transit/")' >/dev/null; then
  vault secrets enable transit >/dev/null
fi
if ! vault read transit/keys/autounseal >/dev/null 2>&1; then
  log "creating transit key autounseal"
  vault write -f transit/keys/autounseal type=aes256-gcm96 exportable=false >/dev/null
fi
vault write transit/keys/autounseal/config deletion_allowed=false >/dev/null
vault policy write autounseal "$POLICY_FILE" >/dev/null

current=""
[ -r "$SEAL_TOKEN_FILE" ] && current="$(cat "$SEAL_TOKEN_FILE")"
if [ -n "$current" ] && [ "$(VAULT_TOKEN="$current" vault token lookup -format=json 2>/dev/null |
  jq -r '.data.ttl // 0')" -gt 3600 ]; then
  log "seal token still valid; keeping it"
else
  log "issuing a new seal token (restart vault-1..3 if they were running with the old one)"
  write_secret_file "$SEAL_TOKEN_FILE" "$(vault token create -orphan -policy=autounseal -period=24h \
    -display-name=raft-autounseal -field=token)"
  chmod 644 "$SEAL_TOKEN_FILE" # read by the vault user of the node containers; the volume is theirs only
fi
log "transit KMS ready"
