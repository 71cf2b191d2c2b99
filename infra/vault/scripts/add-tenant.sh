#!/usr/bin/env bash
# add-tenant.sh TENANT_ID [--wrap-ttl DURATION]
#
# Adds a tenant (idempotent): an identity entity "tenant-<id>" carrying metadata tenant_id=<id>
# (what the templated "tenant" policy confines to secret/data/tenants/<id>/*), an AppRole role
# "tenant-<id>" (1 h renewable tokens, policy "tenant") whose role_id is aliased to that entity, and a
# new secret_id whose metadata tenant_id=<id> lands in every token's auth.metadata (where auditrail
# reads the tenant). Prints JSON: tenant_id, entity_id, role_id and either secret_id or, with
# --wrap-ttl, a single-use wrapping token for it (how production hands a secret_id over).
#
# Needs an admin token (VAULT_TOKEN, platform-admin policy) or the dev vault-init.json.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need vault jq

usage() { echo "usage: $0 TENANT_ID [--wrap-ttl DURATION]" >&2; exit 2; }
[ $# -ge 1 ] || usage
tenant="$1"
shift
wrap_ttl=""
while [ $# -gt 0 ]; do
  case "$1" in
    --wrap-ttl) [ $# -ge 2 ] || usage; wrap_ttl="$2"; shift 2 ;;
    *) usage ;;
  esac
done
valid_tenant_id "$tenant" || die "invalid tenant id '$tenant': use [a-z0-9-], 2-63 characters, starting alphanumeric"
export VAULT_ADDR="${VAULT_ADDR:-http://vault-1:8200}"
acquire_admin_token

role="tenant-$tenant"
entity_name="tenant-$tenant"

vault auth list -format=json | jq -e 'has("approle/")' >/dev/null || die "AppRole is not enabled: run bootstrap.sh first"
vault policy read tenant >/dev/null 2>&1 || die "policy 'tenant' missing: run bootstrap.sh first"
accessor="$(vault auth list -format=json | jq -r '."approle/".accessor')"

# The entity: metadata tenant_id is the only input of the policy template. Never let a tenant write it.
entity_id="$(vault read -format=json "identity/entity/name/$entity_name" 2>/dev/null | jq -r '.data.id // empty' || true)"
if [ -z "$entity_id" ]; then
  entity_id="$(vault write -format=json identity/entity name="$entity_name" \
    metadata=tenant_id="$tenant" | jq -r '.data.id')"
  log "entity $entity_name created ($entity_id)"
else
  existing="$(vault read -format=json "identity/entity/id/$entity_id" | jq -r '.data.metadata.tenant_id // empty')"
  [ "$existing" = "$tenant" ] || die "entity $entity_name has tenant_id '$existing', expected '$tenant'"
  vault write "identity/entity/id/$entity_id" disabled=false >/dev/null
  log "entity $entity_name exists ($entity_id)"
fi

vault write "auth/approle/role/$role" token_policies=tenant token_type=service \
  token_ttl=1h token_max_ttl=24h secret_id_ttl=720h secret_id_num_uses=0 bind_secret_id=true >/dev/null
role_id="$(vault read -field=role_id "auth/approle/role/$role/role-id")"

# AppRole logins are aliased by role_id: bind this role to the tenant's entity.
alias_entity="$(vault write -format=json identity/lookup/entity alias_name="$role_id" \
  alias_mount_accessor="$accessor" 2>/dev/null | jq -r '.data.id // empty' || true)"
if [ -z "$alias_entity" ]; then
  vault write identity/entity-alias name="$role_id" canonical_id="$entity_id" \
    mount_accessor="$accessor" >/dev/null
  log "alias role $role -> entity $entity_name"
elif [ "$alias_entity" != "$entity_id" ]; then
  die "role $role is already aliased to entity $alias_entity, not $entity_id: investigate before continuing"
fi

metadata="$(jq -cn --arg t "$tenant" '{tenant_id: $t}')"
if [ -n "$wrap_ttl" ]; then
  wrapped="$(vault write -f -wrap-ttl="$wrap_ttl" -field=wrapping_token "auth/approle/role/$role/secret-id" \
    metadata="$metadata")"
  jq -n --arg t "$tenant" --arg e "$entity_id" --arg r "$role_id" --arg w "$wrapped" --arg ttl "$wrap_ttl" \
    '{tenant_id: $t, entity_id: $e, role: ("tenant-" + $t), role_id: $r, wrapped_secret_id: $w, wrap_ttl: $ttl}'
else
  secret_id="$(vault write -f -field=secret_id "auth/approle/role/$role/secret-id" metadata="$metadata")"
  jq -n --arg t "$tenant" --arg e "$entity_id" --arg r "$role_id" --arg s "$secret_id" \
    '{tenant_id: $t, entity_id: $e, role: ("tenant-" + $t), role_id: $r, secret_id: $s}'
fi
log "tenant $tenant ready: secrets under secret/data/tenants/$tenant/*"
