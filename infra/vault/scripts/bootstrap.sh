#!/usr/bin/env bash
# Bootstraps the 3-node Raft cluster. Idempotent: every step checks before it changes anything, so it
# is safe to re-run (the compose service `vault-bootstrap` runs it on every `docker-compose up`).
#
#  1. wait for every node's API; initialise ONE node with recovery keys (auto-unseal cluster) and
#     write them to $SECRETS_DIR/vault-init.json (0600) -- the operator moves that file off the host
#  2. as soon as the nodes are unsealed, audit devices: a file device (the fallback, so Vault does not
#     fail closed while the pipeline is down) and the socket device to auditrail ingest (which must be
#     listening: the enable sends a probe). OpenBao: declared in the server config, checked here
#  3. wait until all nodes are Raft voters; apply the autopilot settings
#  4. policies (infra/vault/policies/*.hcl), KV v2 at secret/
#  5. AppRole: role "auditrail" (1 h renewable service tokens) and role "vault-snapshot"; their
#     credentials go to $APPROLE_DIR/<role>/{role_id,secret_id} (0600). A secret_id is reused while
#     more than SECRET_ID_ROTATE_BEFORE of its SECRET_ID_TTL remains, then replaced (re-run weekly, as
#     the compose stack does on every start and the k8s CronJob does: docs/runbooks/tenants.md)
#  6. revoke the initial root token (REVOKE_ROOT_TOKEN=true): later runs use VAULT_TOKEN or a
#     short-lived root generated from the recovery keys and revoked on exit
#
# Environment (defaults suit the compose stack; infra/k8s/vault/bootstrap.env holds production's):
#   VAULT_NODES            space-separated API addresses of all nodes
#   VAULT_ADDR             node to initialise and talk to (default: the first of VAULT_NODES)
#   VAULT_CACERT           CA bundle when the API uses TLS (production)
#   INGEST_AUDIT_ADDRESS   host:port of auditrail ingest for the socket audit device
#   INGEST_AUDIT_PREFIX    the socket device's prefix option: the shared secret ingest checks
#                          (ingest.auth.prefixes; 16-256 printable ASCII, no space , " \ {); never logged
#   AUDIT_FILE_PATH        file audit device path on every node (a persistent volume)
#   RECOVERY_SHARES / RECOVERY_THRESHOLD / RECOVERY_PGP_KEYS (comma-separated key files, production)
#   APPROLE_DIR, SECRETS_DIR, REVOKE_ROOT_TOKEN, AUTOPILOT_DEAD_SERVER_THRESHOLD
#   SECRET_ID_TTL (720h), SECRET_ID_ROTATE_BEFORE_SECONDS (864000: 10 days)
#   APPROLE_BOUND_CIDRS    comma-separated CIDRs that may log in with the roles' secret_ids and use their
#                          tokens (secret_id_bound_cidrs, token_bound_cidrs); empty: any address (warned)
#   SNAPSHOT_AGE_RECIPIENT_FILE  when set and missing, a snapshot encryption key pair is generated:
#                          private key to $SECRETS_DIR/age-snapshot.key (move off host), public here
#   K8S_AUTH_ENABLE=true   configure the kubernetes auth method for the snapshot CronJob (in-cluster)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need vault curl jq

VAULT_NODES="${VAULT_NODES:-http://vault-1:8200 http://vault-2:8200 http://vault-3:8200}"
read -r -a NODES <<<"$VAULT_NODES"
export VAULT_ADDR="${VAULT_ADDR:-${NODES[0]}}"
INGEST_AUDIT_ADDRESS="${INGEST_AUDIT_ADDRESS:-ingest:9090}"
INGEST_AUDIT_PREFIX="${INGEST_AUDIT_PREFIX:-}"
AUDIT_FILE_PATH="${AUDIT_FILE_PATH:-/vault/logs/audit.log}"
RECOVERY_SHARES="${RECOVERY_SHARES:-5}"
RECOVERY_THRESHOLD="${RECOVERY_THRESHOLD:-3}"
RECOVERY_PGP_KEYS="${RECOVERY_PGP_KEYS:-}"
APPROLE_DIR="${APPROLE_DIR:-/approle}"
REVOKE_ROOT_TOKEN="${REVOKE_ROOT_TOKEN:-true}"
AUTOPILOT_DEAD_SERVER_THRESHOLD="${AUTOPILOT_DEAD_SERVER_THRESHOLD:-24h}"
SNAPSHOT_AGE_RECIPIENT_FILE="${SNAPSHOT_AGE_RECIPIENT_FILE:-}"
K8S_AUTH_ENABLE="${K8S_AUTH_ENABLE:-false}"
SECRET_ID_TTL="${SECRET_ID_TTL:-720h}"
SECRET_ID_ROTATE_BEFORE_SECONDS="${SECRET_ID_ROTATE_BEFORE_SECONDS:-864000}"
APPROLE_BOUND_CIDRS="${APPROLE_BOUND_CIDRS:-}"
POLICY_DIR="${POLICY_DIR:-$(cd "$(dirname "$0")/../policies" && pwd)}"
INIT_FILE="$SECRETS_DIR/vault-init.json"
umask 077

# ---- 1. reachability and initialisation ------------------------------------------------------
for node in "${NODES[@]}"; do
  retry 90 2 api_reachable "$node" || die "$node not reachable after 180 s"
done
log "all ${#NODES[@]} nodes answer"

if is_initialized "$VAULT_ADDR"; then
  log "cluster already initialised"
else
  [ ! -e "$INIT_FILE" ] || die "$INIT_FILE exists but $VAULT_ADDR is not initialised: refusing to overwrite \
recovery keys of another cluster. Move the file away first."
  mkdir -p "$SECRETS_DIR"
  args=(-recovery-shares="$RECOVERY_SHARES" -recovery-threshold="$RECOVERY_THRESHOLD" -format=json)
  [ -z "$RECOVERY_PGP_KEYS" ] || args+=(-recovery-pgp-keys="$RECOVERY_PGP_KEYS")
  log "initialising $VAULT_ADDR (recovery shares $RECOVERY_SHARES, threshold $RECOVERY_THRESHOLD)"
  # not inside write_secret_file's argument: set -e does not see a failing command substitution there, and a
  # refused init would leave an empty vault-init.json behind
  init_json="$(vault operator init "${args[@]}")" || die "vault operator init failed (see above)"
  write_secret_file "$INIT_FILE" "$init_json"
  unset init_json
  log "*** recovery keys and root token written to $INIT_FILE: MOVE THAT FILE OFF THIS HOST ***"
fi

# ---- unsealed ----------------------------------------------------------------------------------
for node in "${NODES[@]}"; do
  retry 90 2 is_unsealed "$node" || die "$node still sealed after 180 s: is the seal (KMS) reachable?"
done
log "all nodes unsealed (auto-unseal)"

acquire_admin_token

# ---- 2. audit devices, before anything else is written -----------------------------------------
# Right after init: every later step (policies, KV, roles) is then in the audit trail. OpenBao declares its
# devices in the server config (infra/vault/dev/audit-*.openbao.hcl.tmpl) and refuses API-created ones unless
# unsafe_allow_api_audit_creation is set; HashiCorp Vault has no declarative devices, so they are enabled here.
# docs/runbooks/bootstrap.md "Vault and OpenBao".
audit_json="$(vault audit list -detailed -format=json 2>/dev/null || echo '{}')"
if is_openbao; then
  jq -e 'has("file/")' <<<"$audit_json" >/dev/null ||
    die "no file audit device: OpenBao takes audit devices from the server config (audit-file.openbao.hcl.tmpl)"
  log "file audit device declared in the server config: $(jq -r '."file/".options.file_path' <<<"$audit_json")"
  declared="$(jq -r '."auditrail/".options.address // empty' <<<"$audit_json")"
  if [ -z "$declared" ]; then
    log "WARNING: no socket audit device declared: auditrail gets these lines only through auditrail import"
  elif [ "$declared" != "$INGEST_AUDIT_ADDRESS" ]; then
    die "the declared socket audit device sends to $declared, not INGEST_AUDIT_ADDRESS=$INGEST_AUDIT_ADDRESS"
  else
    log "socket audit device declared in the server config -> $declared"
  fi
elif jq -e 'has("file/")' <<<"$audit_json" >/dev/null; then
  log "file audit device present"
else
  vault audit enable -path=file -description="local fallback; backfill with auditrail import" \
    file file_path="$AUDIT_FILE_PATH" mode=0600 >/dev/null
  log "file audit device enabled at $AUDIT_FILE_PATH"
fi

# Vault: the socket device through the API (OpenBao: declared, checked above).
if ! is_openbao; then
  current_socket="$(jq -r '."auditrail/".options.address // empty' <<<"$audit_json")"
  current_prefix="$(jq -r '."auditrail/".options.prefix // empty' <<<"$audit_json")"
  if [ -n "$current_socket" ] && [ "$current_prefix" != "$INGEST_AUDIT_PREFIX" ]; then
    # compared, never printed: the prefix is the secret ingest authenticates the lines with
    die "socket audit device auditrail/ has another prefix than INGEST_AUDIT_PREFIX. Changing it means a new \
device (new HMAC salt); rotate deliberately: docs/runbooks/audit-pipeline-down.md"
  elif [ "$current_socket" = "$INGEST_AUDIT_ADDRESS" ]; then
    log "socket audit device already sends to $INGEST_AUDIT_ADDRESS"
  elif [ -n "$current_socket" ]; then
    die "socket audit device auditrail/ sends to $current_socket, not $INGEST_AUDIT_ADDRESS. Changing it \
means disable + enable (new HMAC salt); do it deliberately: docs/runbooks/audit-pipeline-down.md"
  else
    ingest_host="${INGEST_AUDIT_ADDRESS%:*}"
    ingest_port="${INGEST_AUDIT_ADDRESS##*:}"
    # Vault writes a test probe on enable and refuses the device if nothing listens.
    wait_tcp "$ingest_host" "$ingest_port" 60 ||
      die "auditrail ingest not listening on $INGEST_AUDIT_ADDRESS after 120 s; start it and re-run"
    # write_timeout stays positive: 0 makes every socket write fail (shared/reference/vault-audit.md 0.1).
    prefix_opt=()
    if [ -n "$INGEST_AUDIT_PREFIX" ]; then
      # from a 0600 file (key=@file), so the secret is on no command line
      prefix_file="$(mktemp)"
      printf '%s' "$INGEST_AUDIT_PREFIX" >"$prefix_file"
      prefix_opt=("prefix=@$prefix_file")
    else
      log "WARNING: INGEST_AUDIT_PREFIX is empty: ingest cannot tell Vault's lines from anyone else's"
    fi
    vault audit enable -path=auditrail -description="auditrail ingest (socket, NDJSON)" \
      socket address="$INGEST_AUDIT_ADDRESS" socket_type=tcp write_timeout=2s "${prefix_opt[@]}" >/dev/null
    [ -z "${prefix_file:-}" ] || rm -f "$prefix_file"
    log "socket audit device enabled -> $INGEST_AUDIT_ADDRESS${INGEST_AUDIT_PREFIX:+ (with its prefix)}"
  fi
fi

# ---- 3. Raft voters and autopilot --------------------------------------------------------------
voters() {
  vault operator raft list-peers -format=json 2>/dev/null |
    jq '[.data.config.servers[] | select(.voter == true)] | length'
}
all_voters() { [ "$(voters)" -ge "${#NODES[@]}" ]; }
# Autopilot promotes a joined node to voter after server_stabilization_time (10 s).
retry 90 2 all_voters || die "only $(voters) of ${#NODES[@]} nodes are Raft voters after 180 s"
log "Raft: ${#NODES[@]} voters"

# Right after the joins the active node may still change hands once (a standby answers "active cluster node not
# found" meanwhile): bounded retry.
set_autopilot() {
  vault operator raft autopilot set-config \
    -cleanup-dead-servers=true \
    -dead-server-last-contact-threshold="$AUTOPILOT_DEAD_SERVER_THRESHOLD" \
    -min-quorum="${#NODES[@]}" \
    -last-contact-threshold=10s \
    -max-trailing-logs=1000 \
    -server-stabilization-time=10s >/dev/null
}
retry 15 2 set_autopilot || die "autopilot configuration refused for 30 s"
log "autopilot: cleanup of dead servers after $AUTOPILOT_DEAD_SERVER_THRESHOLD, never below ${#NODES[@]} voters"

# Leadership can still move once right after the joins; a standby then answers writes with "active cluster node
# not found" for a moment. Go on only when VAULT_ADDR has known the same leader for three checks in a row.
stable_leader() {
  local i first now
  first="$(curl_tls "$VAULT_ADDR/v1/sys/leader" | jq -r '.leader_address // empty')"
  [ -n "$first" ] || return 1
  for i in 1 2 3; do
    sleep 1
    now="$(curl_tls "$VAULT_ADDR/v1/sys/leader" | jq -r '.leader_address // empty')"
    [ "$now" = "$first" ] && [ "$(health_code "$now")" = 200 ] || return 1
  done
}
retry 30 1 stable_leader || die "no stable leader 30 s after the joins"

# ---- 4. policies and KV v2 -----------------------------------------------------------------
vault policy write tenant "$POLICY_DIR/tenant.hcl" >/dev/null
vault policy write auditrail-app "$POLICY_DIR/auditrail-app.hcl" >/dev/null
vault policy write raft-snapshot "$POLICY_DIR/snapshot.hcl" >/dev/null
vault policy write platform-admin "$POLICY_DIR/platform-admin.hcl" >/dev/null
log "policies written: tenant auditrail-app raft-snapshot platform-admin"

kv_version="$(vault secrets list -format=json | jq -r '."secret/" | if . == null then "none" else (.options.version // "1") end')"
case "$kv_version" in
  none)
    vault secrets enable -path=secret -version=2 -description="tenant and platform secrets" kv >/dev/null
    log "KV v2 enabled at secret/"
    ;;
  2) log "KV v2 already at secret/" ;;
  *) die "secret/ is mounted but is KV version $kv_version; upgrade it (vault kv enable-versioning secret/) first" ;;
esac

# ---- 5. AppRole ----------------------------------------------------------------------------
if ! vault auth list -format=json | jq -e 'has("approle/")' >/dev/null; then
  vault auth enable approle >/dev/null
  log "AppRole enabled"
fi

# ensure_approle ROLE POLICY TOKEN_TTL TOKEN_MAX_TTL: role + credentials in $APPROLE_DIR/ROLE/.
# The secret_id is kept while it has more than SECRET_ID_ROTATE_BEFORE_SECONDS left, else a new one is
# written and the old one destroyed: re-running bootstrap is the rotation, never a pile of live secret_ids.
ensure_approle() {
  local role=$1 policy=$2 ttl=$3 max_ttl=$4 dir="$APPROLE_DIR/$1" sid="" left
  local -a cidrs=()
  if [ -n "$APPROLE_BOUND_CIDRS" ]; then
    cidrs=(secret_id_bound_cidrs="$APPROLE_BOUND_CIDRS" token_bound_cidrs="$APPROLE_BOUND_CIDRS")
  fi
  vault write "auth/approle/role/$role" token_policies="$policy" token_type=service \
    token_ttl="$ttl" token_max_ttl="$max_ttl" secret_id_ttl="$SECRET_ID_TTL" secret_id_num_uses=0 \
    bind_secret_id=true "${cidrs[@]}" >/dev/null
  mkdir -p "$dir"
  write_secret_file "$dir/role_id" "$(vault read -field=role_id "auth/approle/role/$role/role-id")"
  [ -r "$dir/secret_id" ] && sid="$(cat "$dir/secret_id")"
  left=-1
  if [ -n "$sid" ]; then
    left="$(vault write -format=json "auth/approle/role/$role/secret-id/lookup" secret_id="$sid" 2>/dev/null |
      jq -r 'if .data == null then -1 elif (.data.expiration_time // "0001") | startswith("0001") then 999999999
             else (.data.expiration_time[0:19] + "Z" | fromdateiso8601) - now | floor end' 2>/dev/null || echo -1)"
  fi
  if [ "$left" -gt "$SECRET_ID_ROTATE_BEFORE_SECONDS" ]; then
    log "AppRole $role: existing secret_id valid for $((left / 86400)) more days"
  else
    write_secret_file "$dir/secret_id" "$(vault write -f -field=secret_id "auth/approle/role/$role/secret-id")"
    if [ "$left" -ge 0 ]; then
      vault write "auth/approle/role/$role/secret-id/destroy" secret_id="$sid" >/dev/null
      log "AppRole $role: secret_id rotated ($((left / 86400)) days were left), the old one destroyed"
    else
      log "AppRole $role: new secret_id written to $dir"
    fi
  fi
  chmod 700 "$dir"
}
[ -n "$APPROLE_BOUND_CIDRS" ] || log "WARNING: APPROLE_BOUND_CIDRS empty: the roles' secret_ids work from any address"
ensure_approle auditrail auditrail-app 1h 24h
ensure_approle vault-snapshot raft-snapshot 15m 30m

if [ "$K8S_AUTH_ENABLE" = "true" ]; then
  if ! vault auth list -format=json | jq -e 'has("kubernetes/")' >/dev/null; then
    vault auth enable kubernetes >/dev/null
  fi
  # Run in-cluster: Vault validates service-account tokens with its own pod's credentials.
  vault write auth/kubernetes/config kubernetes_host="https://kubernetes.default.svc:443" >/dev/null
  vault write auth/kubernetes/role/vault-snapshot bound_service_account_names=vault-snapshot \
    bound_service_account_namespaces="${K8S_SNAPSHOT_NAMESPACE:-vault}" token_policies=raft-snapshot \
    token_ttl=15m token_max_ttl=30m audience=vault >/dev/null
  log "kubernetes auth: role vault-snapshot"
fi

# ---- snapshot encryption key (dev) ------------------------------------------------------------
if [ -n "$SNAPSHOT_AGE_RECIPIENT_FILE" ] && [ ! -s "$SNAPSHOT_AGE_RECIPIENT_FILE" ]; then
  need age-keygen
  [ ! -e "$SECRETS_DIR/age-snapshot.key" ] || die "$SECRETS_DIR/age-snapshot.key exists but \
$SNAPSHOT_AGE_RECIPIENT_FILE is empty: restore the recipient with age-keygen -y"
  age-keygen -o "$SECRETS_DIR/age-snapshot.key" 2>/dev/null
  chmod 600 "$SECRETS_DIR/age-snapshot.key"
  age-keygen -y "$SECRETS_DIR/age-snapshot.key" >"$SNAPSHOT_AGE_RECIPIENT_FILE"
  chmod 644 "$SNAPSHOT_AGE_RECIPIENT_FILE"
  log "*** snapshot decryption key written to $SECRETS_DIR/age-snapshot.key: MOVE IT OFF THIS HOST ***"
fi

# ---- 6. the initial root token ---------------------------------------------------------------
if [ "$REVOKE_ROOT_TOKEN" = "true" ] && [ -r "$INIT_FILE" ] &&
  [ "$VAULT_TOKEN" = "$(jq -r '.root_token // empty' "$INIT_FILE")" ]; then
  vault token revoke -self >/dev/null
  write_secret_file "$INIT_FILE" "$(jq 'del(.root_token)' "$INIT_FILE")"
  log "initial root token revoked and removed from $INIT_FILE (recovery keys remain)"
fi

log "bootstrap complete: ${#NODES[@]} nodes, audit devices file/ + auditrail/ -> $INGEST_AUDIT_ADDRESS"
if [ -e "$INIT_FILE" ]; then
  log "REMINDER: $INIT_FILE holds the recovery keys. Move it off this host (docs/runbooks/bootstrap.md)."
fi
