#!/bin/sh
# render-config.sh TEMPLATE OUTPUT: writes TEMPLATE with every ${NAME} replaced by the environment variable NAME,
# and stops (exit 3, naming the variable) if one is unset, so a half-rendered config never starts a node.
# POSIX sh and awk only: it runs inside the hashicorp/vault image (busybox) for compose and on the host for the
# process-level cluster (io.auditrail.embedded.vault.VaultCluster), from the same templates (infra/vault/dev).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TEMPLATE OUTPUT" >&2; exit 2; }
template=$1
out=$2
tmp="$out.tmp.$$"
awk '
{
  line = $0
  rendered = ""
  while (match(line, /\$\{[A-Z][A-Z0-9_]*\}/)) {
    name = substr(line, RSTART + 2, RLENGTH - 3)
    if (!(name in ENVIRON)) {
      printf "render-config: %s is not set (template %s line %d)\n", name, FILENAME, FNR > "/dev/stderr"
      exit 3
    }
    rendered = rendered substr(line, 1, RSTART - 1) ENVIRON[name]
    line = substr(line, RSTART + RLENGTH)
  }
  print rendered line
}' "$template" >"$tmp" || { rm -f "$tmp"; exit 3; }
mv -f "$tmp" "$out"
