# shellcheck shell=bash
# Shared helpers of the Vault scripts (sourced, not executed). Every wait is bounded.
#
# Environment understood by all scripts (each BAO_* name shadows its VAULT_* one, as in OpenBao's own client:
# api/env.go; the scripts then work with the VAULT_* names and hand them to whichever CLI runs):
#   VAULT_CLI       the CLI: `vault` (HashiCorp Vault) or `bao` (OpenBao); default: whichever is installed,
#                   vault first (BAO_BINARY, as the Java harness sets it, names a bao binary outside PATH)
#   VAULT_ADDR      the Vault to talk to (any node; requests are forwarded to the leader)
#   VAULT_CACERT    CA bundle for TLS (production); curl and the vault CLI both honour it
#   VAULT_TOKEN     an admin token (platform-admin policy or root). When absent, scripts fall back
#                   to the bootstrap's vault-init.json (see acquire_admin_token)
#   SECRETS_DIR     where the bootstrap keeps vault-init.json (default /secrets)

SCRIPT_NAME="${SCRIPT_NAME:-$(basename "$0")}"
for _v in ADDR TOKEN CACERT; do
  _b="BAO_$_v"
  if [ -n "${!_b+set}" ]; then
    export "VAULT_$_v=${!_b}"
  fi
done
unset _v _b
if [ -z "${VAULT_CLI:-}" ]; then
  if [ -n "${BAO_BINARY:-}" ]; then
    VAULT_CLI="$BAO_BINARY"
  elif command -v vault >/dev/null 2>&1; then
    VAULT_CLI=vault
  else
    VAULT_CLI=bao
  fi
fi

# vault ARGS...: the CLI, with the scripts' VAULT_* settings. bao reads BAO_* before VAULT_*, so they are
# handed over as BAO_* (unset when empty: an empty BAO_* would shadow a set VAULT_*).
vault() {
  case "$(basename "$VAULT_CLI")" in
    bao*)
      local -a unset_args=() set_args=()
      local v n
      for v in ADDR TOKEN CACERT; do
        n="VAULT_$v"
        if [ -n "${!n:-}" ]; then set_args+=("BAO_$v=${!n}"); else unset_args+=(-u "BAO_$v"); fi
      done
      env "${unset_args[@]}" "${set_args[@]}" "$VAULT_CLI" "$@"
      ;;
    *) command "$VAULT_CLI" "$@" ;;
  esac
}

# is_openbao: true when the CLI (and so, by our deployments, the server) is OpenBao.
is_openbao() { case "$(basename "$VAULT_CLI")" in bao*) return 0 ;; *) return 1 ;; esac; }
SECRETS_DIR="${SECRETS_DIR:-/secrets}"
EPHEMERAL_ROOT_TOKEN=""

# on_exit COMMAND: runs COMMAND when the script exits, after those registered before it. One EXIT trap for all:
# a second `trap ... EXIT` would replace the first (restore-snapshot.sh's cleanup of the decrypted snapshot was
# lost that way when acquire_admin_token set its own).
EXIT_HOOKS=()
on_exit() {
  EXIT_HOOKS+=("$1")
  trap run_exit_hooks EXIT
}
run_exit_hooks() {
  local h
  for h in "${EXIT_HOOKS[@]}"; do
    "$h" || true
  done
}

log() { printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$SCRIPT_NAME" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# need TOOL...: fails naming the first missing tool; `vault` means the CLI chosen above (vault or bao).
need() {
  local c
  for c in "$@"; do
    [ "$c" != vault ] || c="$VAULT_CLI"
    command -v "$c" >/dev/null 2>&1 || die "missing tool: $c"
  done
}

# retry ATTEMPTS DELAY_SECONDS COMMAND...: bounded retry; returns the command's last status.
retry() {
  local attempts=$1 delay=$2 i
  shift 2
  for ((i = 1; i <= attempts; i++)); do
    if "$@"; then
      return 0
    fi
    ((i < attempts)) && sleep "$delay"
  done
  return 1
}

curl_tls() {
  local -a tls=()
  if [ -n "${VAULT_CACERT:-}" ]; then
    tls=(--cacert "$VAULT_CACERT")
  fi
  curl -sS --max-time 5 "${tls[@]}" "$@"
}

# seal_status ADDR: prints the JSON of /v1/sys/seal-status (unauthenticated).
seal_status() { curl_tls "$1/v1/sys/seal-status"; }

# health_code ADDR: prints the HTTP status of /v1/sys/health (200 active, 429 standby, 501 uninit, 503 sealed).
health_code() { curl_tls -o /dev/null -w '%{http_code}' "$1/v1/sys/health" || true; }

# active_node: prints the API address of the active node. Raft snapshot paths are served by the active node only:
# a standby answers with a redirect (or 429) and the CLI then writes an incomplete file (hashicorp/vault#15258).
# Tries VAULT_NODES (space-separated) for the one answering 200 on sys/health, then VAULT_ADDR's own view of
# the leader (sys/leader's leader_address, when this client can reach it). Bounded: 30 rounds 1 s apart, which
# outlasts an election (2-3 s measured, docs/runbooks/node-failure.md).
active_node() {
  local round node leader
  for ((round = 0; round < 30; round++)); do
    for node in ${VAULT_NODES:-} ${VAULT_ADDR:-}; do
      if [ "$(health_code "$node")" = 200 ]; then
        echo "$node"
        return 0
      fi
    done
    if [ -n "${VAULT_ADDR:-}" ]; then
      leader="$(curl_tls "$VAULT_ADDR/v1/sys/leader" 2>/dev/null | jq -r '.leader_address // empty' 2>/dev/null || true)"
      if [ -n "$leader" ] && [ "$(health_code "$leader")" = 200 ]; then
        echo "$leader"
        return 0
      fi
    fi
    sleep 1
  done
  return 1
}

api_reachable() { seal_status "$1" >/dev/null 2>&1; }

is_initialized() { [ "$(seal_status "$1" | jq -r '.initialized')" = "true" ]; }

is_unsealed() { [ "$(seal_status "$1" | jq -r '.sealed')" = "false" ]; }

# wait_tcp HOST PORT ATTEMPTS: bounded wait for a TCP listener (bash /dev/tcp, no extra tools).
wait_tcp() {
  local host=$1 port=$2 attempts=${3:-60}
  retry "$attempts" 2 timeout 3 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

token_valid() { VAULT_TOKEN="$1" vault token lookup -format=json >/dev/null 2>&1; }

# acquire_admin_token: exports VAULT_TOKEN for administration, trying in order
#  1. VAULT_TOKEN from the environment (an operator's platform-admin or root token)
#  2. the initial root token in $SECRETS_DIR/vault-init.json, while it has not been revoked
#  3. a new root token generated with the recovery keys in vault-init.json (the generate-root
#     ceremony, automated for dev); it is revoked on exit by revoke_ephemeral_root
acquire_admin_token() {
  if [ -n "${VAULT_TOKEN:-}" ] && token_valid "$VAULT_TOKEN"; then
    log "using the VAULT_TOKEN from the environment"
    return 0
  fi
  local init="$SECRETS_DIR/vault-init.json" root
  [ -r "$init" ] || die "no valid VAULT_TOKEN and no $init: export VAULT_TOKEN with a platform-admin token"
  root="$(jq -r '.root_token // empty' "$init")"
  if [ -n "$root" ] && token_valid "$root"; then
    log "using the initial root token from $init"
    export VAULT_TOKEN="$root"
    return 0
  fi
  generate_root_from_recovery_keys "$init"
}

generate_root_from_recovery_keys() {
  local init=$1 attempt otp nonce threshold i key resp encoded
  log "generating a short-lived root token from the recovery keys (revoked on exit)"
  threshold="$(jq -r '.recovery_keys_threshold // empty' "$init")"
  [ -n "$threshold" ] || die "$init holds no recovery keys (PGP-encrypted?): export VAULT_TOKEN instead"
  curl_tls -X DELETE "$VAULT_ADDR/v1/sys/generate-root/attempt" >/dev/null || true
  attempt="$(curl_tls -X PUT -d '{}' "$VAULT_ADDR/v1/sys/generate-root/attempt")"
  otp="$(jq -r '.otp // empty' <<<"$attempt")"
  nonce="$(jq -r '.nonce // empty' <<<"$attempt")"
  if [ -z "$otp" ] || [ -z "$nonce" ]; then
    die "generate-root attempt failed: $(jq -c '.errors // .' <<<"$attempt")"
  fi
  for ((i = 0; i < threshold; i++)); do
    key="$(jq -r ".recovery_keys_b64[$i]" "$init")"
    resp="$(jq -n --arg k "$key" --arg n "$nonce" '{key: $k, nonce: $n}' |
      curl_tls -X PUT --data-binary @- "$VAULT_ADDR/v1/sys/generate-root/update")"
  done
  encoded="$(jq -r '.encoded_token // .encoded_root_token // empty' <<<"$resp")"
  [ -n "$encoded" ] || die "generate-root did not complete: $(jq -c '.errors // {complete, progress, required}' <<<"$resp")"
  VAULT_TOKEN="$(vault operator generate-root -decode="$encoded" -otp="$otp")"
  export VAULT_TOKEN
  EPHEMERAL_ROOT_TOKEN="$VAULT_TOKEN"
  on_exit revoke_ephemeral_root
}

revoke_ephemeral_root() {
  if [ -n "$EPHEMERAL_ROOT_TOKEN" ]; then
    if VAULT_TOKEN="$EPHEMERAL_ROOT_TOKEN" vault token revoke -self >/dev/null 2>&1; then
      log "revoked the short-lived root token"
    else
      log "WARNING: could not revoke the short-lived root token; revoke it by accessor"
    fi
    EPHEMERAL_ROOT_TOKEN=""
  fi
}

# write_secret_file PATH CONTENT: writes a 0600 file atomically.
write_secret_file() {
  local path=$1 content=$2 tmp
  tmp="$(mktemp "$(dirname "$path")/.tmp.XXXXXX")"
  chmod 600 "$tmp"
  printf '%s\n' "$content" >"$tmp"
  mv -f "$tmp" "$path"
}

# valid_tenant_id ID: lower-case letters, digits and '-', 2-63 characters, starting alphanumeric.
# The id lands in a policy template and in paths: no '/', '*', '+', '.', or upper case.
valid_tenant_id() { [[ "$1" =~ ^[a-z0-9][a-z0-9-]{1,62}$ ]]; }
