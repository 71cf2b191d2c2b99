#!/usr/bin/env bash
# The end-to-end peer (bench/RESULTS.md, "End to end, one process per stage"): rsyslog imtcp -> ompgsql into one
# PostgreSQL table, one JSON value per line, in batched transactions, fed the same simulated Vault traffic as
# bench/multiproc's maximum-rate phase. Run it in the same sitting as bench/multiproc/run.sh and
# ../shared/bench-peers/run.sh, and compare auditrail's sustained rate with this one.
# Installs Debian's rsyslog and rsyslog-pgsql when missing (as root; no service is started).
# Usage (from anywhere): bash bench/peer-e2e/run.sh [lines=200000] [batch=1000] [column=json|jsonb] [seed=43]
# Env: WORK (default ${TMPDIR:-/tmp}/peer-e2e; the run's data is removed at the end), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
export WORK="${WORK:-${TMPDIR:-/tmp}/peer-e2e}"; mkdir -p "$WORK"
if ! dpkg -s rsyslog rsyslog-pgsql >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends rsyslog rsyslog-pgsql >/dev/null
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -pl bench -am package -DskipTests
fi
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) rsyslog $(dpkg-query -W -f '${Version}' rsyslog) rsyslog-pgsql $(dpkg-query -W -f '${Version}' rsyslog-pgsql) $*"
timeout 900 java -Xms1g -Xmx1g -cp "bench/target/classes:bench/target/lib/*" io.auditrail.bench.multiproc.PeerPipeline \
  "$@" 2> "$WORK/peer.err"
