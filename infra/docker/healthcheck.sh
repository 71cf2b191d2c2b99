#!/usr/bin/env bash
# Container health check of the auditrail image: GET http://127.0.0.1:$HEALTHCHECK_PORT$HEALTHCHECK_PATH
# and succeed on HTTP 200. Plain bash (/dev/tcp), so the runtime image needs no curl or wget.
# The variables are deliberately not AUDITRAIL_*: auditrail refuses settings it does not know.
set -euo pipefail
port="${HEALTHCHECK_PORT:-8080}"
path="${HEALTHCHECK_PATH:-/readyz}"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3
exec 3<&-
case "$status" in
  "HTTP/1."[01]" 200"*) exit 0 ;;
  *) echo "unhealthy: ${status:-no answer}" >&2; exit 1 ;;
esac
