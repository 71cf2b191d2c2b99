#!/usr/bin/env bash
# add-tenant.sh TENANT_ID [--new-secret-id] [--wrap-ttl DURATION]
#
# Adds a tenant (idempotent): an identity entity "tenant-<id>" carrying metadata tenant_id=<id>
# (what the templated "tenant" policy confines to secret/data/tenants/<id>/*), an AppRole role
# "tenant-<id>" (1 h renewable tokens, policy "tenant") whose role_id is aliased to that entity, and a
# new secret_id whose metadata tenant_id=<id> lands in every token's auth.metadata (where auditrail
# reads the tenant). Prints JSON: tenant_id, entity_id, role_id and either secret_id or, with
# --wrap-ttl, a single-use wrapping token for it (how production hands a secret_id over).
#
# A secret_id is minted when the role is new or with --new-secret-id (rotation: the tenant's app switches to
# the new one, then the old ones are destroyed with --destroy-other-secret-ids on the next run, or expire after
# SECRET_ID_TTL, default 720h). A re-run without either prints no secret_id: re-running must not pile up live
# credentials. TENANT_BOUND_CIDRS (comma-separated) binds the secret_ids and tokens to the tenant's networks.
#
# Needs an admin token (VAULT_TOKEN, platform-admin policy) or the dev vault-init.json.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need vault jq

usage() { echo "usage: $0 TENANT_ID [--new-secret-id [--destroy-other-secret-ids]] [--wrap-ttl DURATION]" >&2; exit 2; }
[ $# -ge 1 ] || usage
tenant="$1"
shift
wrap_ttl=""
new_secret_id=false
destroy_others=false
while [ $# -gt 0 ]; do
  case "$1" in
    --wrap-ttl) [ $# -ge 2 ] || usage; wrap_ttl="$2"; shift 2 ;;
    --new-secret-id) new_secret_id=true; shift ;;
    --destroy-other-secret-ids) destroy_others=true; shift ;;
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

role_existed=false
vault read "auth/approle/role/$role" >/dev/null 2>&1 && role_existed=true
cidrs=()
if [ -n "${TENANT_BOUND_CIDRS:-}" ]; then
  cidrs=(secret_id_bound_cidrs="$TENANT_BOUND_CIDRS" token_bound_cidrs="$TENANT_BOUND_CIDRS")
fi
vault write "auth/approle/role/$role" token_policies=tenant token_type=service \
  token_ttl=1h token_max_ttl=24h secret_id_ttl="${SECRET_ID_TTL:-720h}" secret_id_num_uses=0 bind_secret_id=true \
  "${cidrs[@]}" >/dev/null
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
if [ "$role_existed" = true ] && [ "$new_secret_id" != true ]; then
  jq -n --arg t "$tenant" --arg e "$entity_id" --arg r "$role_id" \
    '{tenant_id: $t, entity_id: $e, role: ("tenant-" + $t), role_id: $r}'
  log "tenant $tenant exists: no new secret_id minted (--new-secret-id rotates it)"
  exit 0
fi
old_accessors="$(vault list -format=json "auth/approle/role/$role/secret-id" 2>/dev/null | jq -r '.[]' || true)"
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
if [ "$destroy_others" = true ] && [ -n "$old_accessors" ]; then
  while IFS= read -r a; do
    vault write "auth/approle/role/$role/secret-id-accessor/destroy" secret_id_accessor="$a" >/dev/null
  done <<<"$old_accessors"
  log "destroyed the role's $(wc -l <<<"$old_accessors") earlier secret_id(s)"
fi
log "tenant $tenant ready: secrets under secret/data/tenants/$tenant/*"
