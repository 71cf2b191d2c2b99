#!/usr/bin/env bash
# The deployed ingest (java -jar app/target/auditrail.jar ingest), a fresh JVM per run, measured the way
# ../shared/bench-peers/peer_run.sh measures rsyslog and syslog-ng, with its own broker, payload, sender and watcher:
# 200,000 lines over 3 connections, time from the sender's start until the raw topic's end offsets hold them all.
# Variants: plain (the image's options), cds (class-data sharing: an archive of the classes a first run loaded,
# made once with -XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile), cds-c1 (the same, C1 compiler only).
# AppCDS on JDK 17 archives classes from jars only: ingest/bench's child runs from target/classes directories and
# cannot use it, the deployed jar can. Run ../shared/bench-peers/run.sh in the same sitting for rsyslog's figure.
# Usage (from anywhere): bash bench/ingest-cold/run.sh [RUNS=3] [VARIANTS="plain cds cds-c1"]
# Env: WORK (default ${TMPDIR:-/tmp}/ingest-cold), SHARED (default ../shared beside the checkout), NLINES (200000),
#   SKIP_BUILD=1. The broker is stopped and the spools and topics removed at the end; the payload stays in WORK.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
SHARED="${SHARED:-$(cd .. && pwd)/shared}"
export WORK="${WORK:-${TMPDIR:-/tmp}/ingest-cold}"
RUNS="${1:-3}"; VARIANTS="${2:-plain cds cds-c1}"
# shellcheck source=/dev/null
. "$SHARED/bench-peers/lib.sh"
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && mvn -B -ntp -q -pl app -am package -DskipTests)
fi
JAR="$ROOT/app/target/auditrail.jar"
JSA="$WORK/ingest-cds.jsa"; rm -f "$JSA"
trap '"$BENCH_DIR/broker.sh" down; rm -rf "$WORK"/spool-*' EXIT
"$BENCH_DIR/broker.sh" up
[ -s "$PAYLOAD" ] && [ "$(wc -l < "$PAYLOAD")" = "$NLINES" ] || \
  python3 "$BENCH_DIR/gen_payload.py" "$BENCH_DIR/../vault-audit-samples/elastic-integrations" "$PAYLOAD" "$NLINES"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) runs=$RUNS variants=$VARIANTS lines=$NLINES"
printf 'run\tlines_per_s\te2e_s\tstart_to_ready_s\tingest_cpu_s\tcpu_us_per_line\tstart_cpu_s\tcount\n'

one_run() { # NAME RECORD(yes|no) JVM-OPTIONS...
  local name=$1 record=$2; shift 2
  local port hport spool pid t0 ready c0 c1 wpid
  port=$(free_port); hport=$(free_port); spool="$WORK/spool-$name"; rm -rf "$spool"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2068 # the options are words
  java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError $@ -jar "$JAR" ingest \
    --set kafka.bootstrap.servers=$BOOT --set topic.raw="raw-$name" --set topic.dlq="dlq-$name" \
    --set ingest.listen.address="127.0.0.1:$port" --set ingest.spool.dir="$spool" \
    --set http.listen.address="127.0.0.1:$hport" > "$WORK/$name.log" 2>&1 & pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$hport/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "ingest died: $(tail -5 "$WORK/$name.log")"; return 1; }
    sleep 0.1
  done
  ready=$(echo "$(date +%s.%N) - $t0" | bc)
  c0=$(cpu_secs "$pid")
  java $JQ -Xmx256m -cp "$(kcp)" OffsetWatcher $BOOT "raw-$name" "$NLINES" 240 30 3 > "$WORK/$name.watch" 2>&1 & wpid=$!
  for _ in $(seq 1 150); do grep -q READY "$WORK/$name.watch" 2>/dev/null && break; sleep 0.2; done
  timeout 300 python3 "$BENCH_DIR/sender.py" "$PAYLOAD" "$port" 3 "$NLINES" > "$WORK/$name.sender"
  wait "$wpid"
  c1=$(cpu_secs "$pid")
  kill -TERM "$pid"; wait "$pid" || true
  if [ "$record" = yes ]; then
    python3 - "$WORK/$name.sender" "$WORK/$name.watch" "$name" "$ready" "$c0" "$c1" "$NLINES" <<'PY'
import re, sys
snd, watch, name, ready, c0, c1, n = sys.argv[1:]
kv = lambda t: dict(re.findall(r"(\w+)=(\S+)", t))
s = kv(open(snd).read()); w = kv(open(watch).read().split("\n", 1)[1])
e2e = (int(w["t_end_ms"] if w["complete"] == "true" else w["t_last_change_ms"]) - int(s["t_start_ms"])) / 1000
cpu = float(c1) - float(c0)
print(f"{name}\t{int(n) / e2e:.0f}\t{e2e:.2f}\t{float(ready):.2f}\t{cpu:.2f}\t{cpu * 1e6 / int(n):.1f}\t{float(c0):.2f}\t{w['count']}")
PY
  fi
  topic_delete "raw-$name"; topic_delete "dlq-$name"; rm -rf "$spool"
}

for v in $VARIANTS; do
  case "$v" in
    plain) opts="" ;;
    cds) opts="-XX:SharedArchiveFile=$JSA" ;;
    cds-c1) opts="-XX:SharedArchiveFile=$JSA -XX:TieredStopAtLevel=1" ;;
    *) echo "unknown variant $v"; exit 2 ;;
  esac
  if [ "$v" != plain ] && [ ! -s "$JSA" ]; then
    one_run "cds-dump" no "-XX:ArchiveClassesAtExit=$JSA"   # the archive: what one whole run loaded, not recorded
    [ -s "$JSA" ] || { echo "no CDS archive was written ($JSA)"; exit 1; }
  fi
  for r in $(seq 1 "$RUNS"); do one_run "$v-r$r" yes $opts; done
done
