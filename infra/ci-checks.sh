#!/usr/bin/env bash
# Static checks of the deployment, for CI machines without a Docker engine or a Vault binary
# (issue 9). Installs what is missing (Debian packages, --no-install-recommends so apt does not pull
# docker.io), then: docker-compose config, shellcheck on every script, yamllint, promtool on the
# Prometheus config and on issue 8's rules when they exist. The JUnit invariant tests run in
# `mvn verify` (module infra). Exit status: non-zero on the first failing check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need_pkgs=()
command -v docker-compose >/dev/null 2>&1 || need_pkgs+=(docker-compose)
command -v shellcheck >/dev/null 2>&1 || need_pkgs+=(shellcheck)
command -v yamllint >/dev/null 2>&1 || need_pkgs+=(yamllint)
command -v promtool >/dev/null 2>&1 || need_pkgs+=(prometheus)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "== installing ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

echo "== docker-compose config"
docker-compose -f docker-compose.yml config -q

echo "== shellcheck"
mapfile -t scripts < <(
  {
    find infra -path infra/target -prune -o -type f -name '*.sh' -print
    # extension-less scripts under infra/ and the root launcher
    find infra -path infra/target -prune -o -type f ! -name '*.*' -print |
      while IFS= read -r f; do head -c 64 "$f" | grep -qE '^#!.*(ba|)sh' && echo "$f"; done
    [ -f auditrail ] && echo auditrail
  } | sort -u
)
[ "${#scripts[@]}" -gt 0 ] || { echo "no scripts found" >&2; exit 1; }
printf '   %s\n' "${scripts[@]}"
shellcheck -x -P SCRIPTDIR "${scripts[@]}"

echo "== yamllint"
yaml_files=(docker-compose.yml infra/.yamllint)
while IFS= read -r f; do yaml_files+=("$f"); done < <(
  find infra/compose infra/k8s -type f \( -name '*.yml' -o -name '*.yaml' \) | sort
)
yamllint -s -c infra/.yamllint "${yaml_files[@]}"

echo "== promtool"
promtool check config --syntax-only infra/compose/prometheus.yml
shopt -s nullglob
rules=(infra/prometheus/*.yml infra/prometheus/*.yaml)
shopt -u nullglob
if [ "${#rules[@]}" -gt 0 ]; then
  promtool check rules "${rules[@]}"
  # unit tests of the alerting rules (series in, alerts out)
  (cd infra/prometheus/tests && promtool test rules ./*.yml)
else
  echo "   no rules in infra/prometheus/ (issue 8): skipped"
fi

echo "== infra static checks passed"
