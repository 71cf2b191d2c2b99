#!/usr/bin/env bash
# snapshot-loop.sh: the compose stand-in for a CronJob. Takes a snapshot at start (once the cluster is
# bootstrapped) and then every SNAPSHOT_INTERVAL_SECONDS (default 86400, daily); a failed run is
# retried after SNAPSHOT_RETRY_SECONDS (default 900) and logged loudly.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
interval="${SNAPSHOT_INTERVAL_SECONDS:-86400}"
retry_after="${SNAPSHOT_RETRY_SECONDS:-900}"
while true; do
  if bash "$(dirname "$0")/snapshot.sh"; then
    sleep "$interval"
  else
    log "ERROR: snapshot failed; retrying in $retry_after s"
    sleep "$retry_after"
  fi
done
