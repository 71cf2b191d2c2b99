#!/usr/bin/env bash
# remove-tenant.sh TENANT_ID [--purge-secrets --yes]
#
# Offboards a tenant without destroying evidence: deletes the AppRole role "tenant-<id>" (its
# secret_ids stop working) and DISABLES the entity "tenant-<id>", which makes every token it already
# holds unusable at once. The entity and its tenant_id metadata are kept so audit history still
# resolves to the tenant. With --purge-secrets --yes it also deletes all versions and metadata under
# secret/metadata/tenants/<id>/ (irreversible; take a snapshot first).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need vault jq

usage() { echo "usage: $0 TENANT_ID [--purge-secrets --yes]" >&2; exit 2; }
[ $# -ge 1 ] || usage
tenant="$1"
shift
purge=false
confirmed=false
while [ $# -gt 0 ]; do
  case "$1" in
    --purge-secrets) purge=true ;;
    --yes) confirmed=true ;;
    *) usage ;;
  esac
  shift
done
valid_tenant_id "$tenant" || die "invalid tenant id '$tenant'"
if [ "$purge" = true ] && [ "$confirmed" != true ]; then
  die "--purge-secrets destroys every secret of $tenant; add --yes to confirm"
fi
export VAULT_ADDR="${VAULT_ADDR:-http://vault-1:8200}"
acquire_admin_token

role="tenant-$tenant"
if vault read "auth/approle/role/$role" >/dev/null 2>&1; then
  vault delete "auth/approle/role/$role" >/dev/null
  log "AppRole role $role deleted"
fi

entity_id="$(vault read -format=json "identity/entity/name/tenant-$tenant" 2>/dev/null | jq -r '.data.id // empty' || true)"
if [ -n "$entity_id" ]; then
  vault write "identity/entity/id/$entity_id" disabled=true >/dev/null
  log "entity tenant-$tenant ($entity_id) disabled: its tokens no longer work"
else
  log "no entity tenant-$tenant"
fi

# purge_tree PATH: deletes every secret (all versions + metadata) below secret/metadata/PATH.
purge_tree() {
  local prefix=$1 key
  while IFS= read -r key; do
    [ -n "$key" ] || continue
    if [[ "$key" == */ ]]; then
      purge_tree "$prefix$key"
    else
      vault kv metadata delete -mount=secret "$prefix$key" >/dev/null
      log "purged secret/$prefix$key"
    fi
  done < <(vault kv list -mount=secret -format=json "$prefix" 2>/dev/null | jq -r '.[]' || true)
}
if [ "$purge" = true ]; then
  purge_tree "tenants/$tenant/"
fi
log "tenant $tenant removed"
