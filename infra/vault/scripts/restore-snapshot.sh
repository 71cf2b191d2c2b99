#!/usr/bin/env bash
# restore-snapshot.sh (S3_KEY | --file PATH) --identity AGE_KEY_FILE [--force] --yes
#
# Restores an encrypted Raft snapshot taken by snapshot.sh. Rewinds EVERY secret, policy, token and
# audit device of the cluster to the snapshot's time: follow docs/runbooks/restore-snapshot.md.
#  --force   restore into a different cluster (new seal / keyring), i.e. disaster recovery
#  --yes     required; without it the script verifies and inspects the snapshot and stops
#
# Needs an admin token (VAULT_TOKEN) or the dev vault-init.json; SNAPSHOT_S3_BUCKET for S3 keys.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need vault jq age sha256sum

usage() { echo "usage: $0 (S3_KEY | --file PATH) --identity AGE_KEY_FILE [--force] --yes" >&2; exit 2; }
source_key=""
file=""
identity=""
force=false
confirmed=false
while [ $# -gt 0 ]; do
  case "$1" in
    --file) [ $# -ge 2 ] || usage; file="$2"; shift 2 ;;
    --identity) [ $# -ge 2 ] || usage; identity="$2"; shift 2 ;;
    --force) force=true; shift ;;
    --yes) confirmed=true; shift ;;
    -*) usage ;;
    *) source_key="$1"; shift ;;
  esac
done
if [ -z "$identity" ] || [ ! -r "$identity" ]; then usage; fi
[ -n "$file" ] || [ -n "$source_key" ] || usage
export VAULT_ADDR="${VAULT_ADDR:-http://vault-1:8200}"

work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
# on_exit, not trap: acquire_admin_token registers its own exit hook, which a second trap would replace,
# leaving the decrypted snapshot on disk.
on_exit cleanup
umask 077

if [ -z "$file" ]; then
  need aws
  bucket="${SNAPSHOT_S3_BUCKET:?set SNAPSHOT_S3_BUCKET}"
  aws s3 cp --only-show-errors "s3://$bucket/$source_key" "$work/snap.age"
  if aws s3 cp --only-show-errors "s3://$bucket/$source_key.json" "$work/manifest.json" 2>/dev/null; then
    expected="$(jq -r .encrypted_sha256 "$work/manifest.json")"
    actual="$(sha256sum "$work/snap.age" | cut -d' ' -f1)"
    [ "$expected" = "$actual" ] || die "encrypted snapshot sha256 $actual does not match manifest $expected"
    log "encrypted snapshot matches its manifest"
  else
    log "WARNING: no manifest next to $source_key; cannot check its digest"
  fi
  file="$work/snap.age"
fi

age -d -i "$identity" -o "$work/snap" "$file"
if [ -s "$work/manifest.json" ]; then
  plain="$(sha256sum "$work/snap" | cut -d' ' -f1)"
  [ "$plain" = "$(jq -r .snapshot_sha256 "$work/manifest.json")" ] || die "decrypted snapshot digest mismatch"
fi
vault operator raft snapshot inspect "$work/snap" 2>/dev/null || log "(snapshot inspect unavailable on this CLI)"

if [ "$confirmed" != true ]; then
  log "snapshot verified and decrypted; re-run with --yes to restore it (this rewinds the cluster)"
  exit 0
fi
# Like a snapshot, a restore is served by the active node only (VAULT_NODES or VAULT_ADDR's sys/leader).
VAULT_ADDR="$(active_node)" || die "no active node among ${VAULT_NODES:-$VAULT_ADDR} after 30 s"
export VAULT_ADDR
acquire_admin_token
args=()
[ "$force" != true ] || args+=(-force)
log "restoring into the active node $VAULT_ADDR"
vault operator raft snapshot restore "${args[@]}" "$work/snap"
log "restore submitted; check: vault operator raft list-peers; vault status on every node; vault audit list"
