#!/usr/bin/env bash
# snapshot.sh: one Raft snapshot, encrypted, to S3. Run daily (compose: service vault-snapshot via
# snapshot-loop.sh; Kubernetes: CronJob vault-snapshot in infra/k8s/vault/snapshot-cronjob.yaml).
#
# The snapshot holds every secret (encrypted by the barrier) AND the keyring; it is encrypted again
# client-side with age to a public recipient, so neither this job nor the bucket can read it: the
# private key lives offline with the operators and is needed only to restore. Real S3 adds SSE-KMS
# (SNAPSHOT_SSE=aws:kms + SNAPSHOT_SSE_KMS_KEY_ID) and Object Lock on the bucket.
#
# Authentication, first that applies: VAULT_TOKEN; kubernetes auth (VAULT_K8S_ROLE, projected token
# in VAULT_K8S_TOKEN_FILE); AppRole credentials in $APPROLE_DIR/vault-snapshot/{role_id,secret_id}.
#
#   SNAPSHOT_S3_BUCKET (required)   SNAPSHOT_S3_PREFIX (default vault-snapshots/$CLUSTER_NAME)
#   SNAPSHOT_AGE_RECIPIENT or SNAPSHOT_AGE_RECIPIENT_FILE (required: no unencrypted upload, ever)
#   AWS_ENDPOINT_URL (MinIO in dev), AWS_REGION, credentials as the AWS CLI reads them
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need vault jq age sha256sum curl

# The active node only: a standby redirects snapshot requests and the CLI writes an incomplete file. Set
# VAULT_NODES (all nodes) or VAULT_ADDR (any node whose sys/leader names a reachable leader).
# SNAPSHOT_DEST_DIR instead of SNAPSHOT_S3_BUCKET keeps the encrypted snapshot and manifest in a directory
# (an operator's disk, the ITs); the checks and encryption are the same.
export VAULT_ADDR="${VAULT_ADDR:-http://vault-1:8200}"
VAULT_ADDR="$(active_node)" || die "no active node among ${VAULT_NODES:-$VAULT_ADDR} after 30 s"
export VAULT_ADDR
CLUSTER_NAME="${CLUSTER_NAME:-auditrail-dev}"
SNAPSHOT_DEST_DIR="${SNAPSHOT_DEST_DIR:-}"
[ -n "$SNAPSHOT_DEST_DIR" ] || SNAPSHOT_S3_BUCKET="${SNAPSHOT_S3_BUCKET:?set SNAPSHOT_S3_BUCKET or SNAPSHOT_DEST_DIR}"
[ -n "$SNAPSHOT_DEST_DIR" ] || need aws
SNAPSHOT_S3_PREFIX="${SNAPSHOT_S3_PREFIX:-vault-snapshots/$CLUSTER_NAME}"
SNAPSHOT_SSE="${SNAPSHOT_SSE:-}"
SNAPSHOT_SSE_KMS_KEY_ID="${SNAPSHOT_SSE_KMS_KEY_ID:-}"
APPROLE_DIR="${APPROLE_DIR:-/approle}"
VAULT_K8S_ROLE="${VAULT_K8S_ROLE:-}"
VAULT_K8S_TOKEN_FILE="${VAULT_K8S_TOKEN_FILE:-/var/run/secrets/vault/token}"

recipient="${SNAPSHOT_AGE_RECIPIENT:-}"
if [ -z "$recipient" ] && [ -n "${SNAPSHOT_AGE_RECIPIENT_FILE:-}" ] && [ -s "$SNAPSHOT_AGE_RECIPIENT_FILE" ]; then
  recipient="$(tr -d '[:space:]' <"$SNAPSHOT_AGE_RECIPIENT_FILE")"
fi
[[ "$recipient" == age1* ]] || die "no age recipient (SNAPSHOT_AGE_RECIPIENT[_FILE]): refusing to take an unencrypted snapshot"

if [ -z "${VAULT_TOKEN:-}" ]; then
  if [ -n "$VAULT_K8S_ROLE" ]; then
    VAULT_TOKEN="$(vault write -field=token auth/kubernetes/login role="$VAULT_K8S_ROLE" \
      jwt="$(cat "$VAULT_K8S_TOKEN_FILE")")"
  else
    VAULT_TOKEN="$(vault write -field=token auth/approle/login \
      role_id="$(cat "$APPROLE_DIR/vault-snapshot/role_id")" \
      secret_id="$(cat "$APPROLE_DIR/vault-snapshot/secret_id")")"
  fi
  export VAULT_TOKEN
fi

work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
on_exit cleanup
umask 077
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="vault-$CLUSTER_NAME-$stamp.snap"

log "taking the snapshot from the active node $VAULT_ADDR"
vault operator raft snapshot save "$work/$name"
[ -s "$work/$name" ] || die "empty snapshot"
# A snapshot is a gzipped tar; a redirect page or a cut-off stream is not.
gzip -t "$work/$name" 2>/dev/null || die "the snapshot is not a complete gzip stream: incomplete (taken from a standby?)"
inspect="{}"
if vault operator raft snapshot inspect -format=json "$work/$name" >"$work/inspect.json" 2>/dev/null; then
  inspect="$(jq -c '.Meta // .meta // .' "$work/inspect.json" 2>/dev/null || echo '{}')"
fi
plain_sha="$(sha256sum "$work/$name" | cut -d' ' -f1)"
age -r "$recipient" -o "$work/$name.age" "$work/$name"
rm -f "$work/$name"
cipher_sha="$(sha256sum "$work/$name.age" | cut -d' ' -f1)"

jq -n --arg c "$CLUSTER_NAME" --arg t "$stamp" --arg p "$plain_sha" --arg e "$cipher_sha" \
  --arg r "$recipient" --arg v "$(vault version | head -1)" --argjson m "$inspect" \
  '{cluster: $c, time: $t, snapshot_sha256: $p, encrypted_sha256: $e, age_recipient: $r, vault: $v, raft: $m}' \
  >"$work/$name.age.json"

if [ -n "$SNAPSHOT_DEST_DIR" ]; then
  mkdir -p "$SNAPSHOT_DEST_DIR"
  mv -f "$work/$name.age" "$work/$name.age.json" "$SNAPSHOT_DEST_DIR/"
  printf '%s\n' "$name.age" >"$SNAPSHOT_DEST_DIR/LATEST"
  log "snapshot written: $SNAPSHOT_DEST_DIR/$name.age (sha256 $cipher_sha encrypted, $plain_sha plain)"
  exit 0
fi
sse=()
if [ -n "$SNAPSHOT_SSE" ]; then
  sse=(--sse "$SNAPSHOT_SSE")
  [ -z "$SNAPSHOT_SSE_KMS_KEY_ID" ] || sse+=(--sse-kms-key-id "$SNAPSHOT_SSE_KMS_KEY_ID")
fi
key="$SNAPSHOT_S3_PREFIX/$(date -u +%Y/%m/%d)/$name.age"
aws s3 cp --only-show-errors "${sse[@]}" "$work/$name.age" "s3://$SNAPSHOT_S3_BUCKET/$key"
aws s3 cp --only-show-errors "${sse[@]}" --content-type application/json \
  "$work/$name.age.json" "s3://$SNAPSHOT_S3_BUCKET/$key.json"
remote_size="$(aws s3api head-object --bucket "$SNAPSHOT_S3_BUCKET" --key "$key" --query ContentLength --output text)"
[ "$remote_size" = "$(stat -c %s "$work/$name.age")" ] || die "uploaded size $remote_size differs from local"
printf '%s\n' "$key" >"$work/latest"
aws s3 cp --only-show-errors "${sse[@]}" "$work/latest" "s3://$SNAPSHOT_S3_BUCKET/$SNAPSHOT_S3_PREFIX/LATEST"
log "snapshot uploaded: s3://$SNAPSHOT_S3_BUCKET/$key (sha256 $cipher_sha encrypted, $plain_sha plain)"
