#!/usr/bin/env bash
# The ingest benchmark (bench/RESULTS.md, "Ingest"): builds ingest's test classes, makes the 200k-line payload
# with shared/bench-peers/gen_payload.py, then runs io.auditrail.ingest.IngestBenchmark (ingest/src/test/java):
# an embedded broker in the benchmark JVM, ingest in a child JVM (-Xmx256m), shared/bench-peers/sender.py over 3
# connections, end offsets polled every 20 ms, every record checked byte for byte.
# Usage (from the checkout root): bash ingest/bench/run.sh [RUNS=3] [MODE=cold|restart|warm|paced:RATE] [key=value ...]
#   cold  : a fresh ingest process per run, as bench-peers starts a fresh rsyslog/syslog-ng per run, with a fresh
#           spool directory each time (a first start ever)
#   restart: a fresh ingest process per run on the spool directory the previous one left (a restarted service)
#   warm  : one ingest process for all runs (run 0 warms its JIT and is not recorded)
#   paced : 3 Vault-like connections (one write per line) at RATE lines/s in total, for latency under load
# Env: WORK (default ${TMPDIR:-/tmp}/ingest-bench); SHARED (default ../shared beside the checkout); NLINES (default 200000, as bench-peers); CHILD_JVM_ARGS, extra JVM flags for the ingest JVM (e.g.
# -XX:TieredStopAtLevel=1). Bounded: the benchmark JVM runs under `timeout`, and each wait in it has a deadline.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"; MODE="${2:-cold}"; shift $(( $# < 2 ? $# : 2 )) || true
WORK="${WORK:-${TMPDIR:-/tmp}/ingest-bench}"; mkdir -p "$WORK"
SHARED="${SHARED:-$(cd .. && pwd)/shared}"   # shared/ beside the checkout, or SHARED=DIR
# one reactor invocation: build-classpath resolves core and embedded to their target/ directories only when the same
# build compiled them (a second mvn call would look for them in ~/.m2, where nothing may be installed)
mvn -B -q -pl ingest -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" -Dmdep.includeScope=test
CP="ingest/target/test-classes:ingest/target/classes:core/target/classes:core/target/test-classes:embedded/target/classes"
CP="$CP:$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/io/auditrail/' | paste -sd:)"
NLINES="${NLINES:-200000}"
PAYLOAD="$WORK/payload-$NLINES.ndjson"
if [ ! -s "$PAYLOAD" ]; then
  python3 "$SHARED/bench-peers/gen_payload.py" "$SHARED/vault-audit-samples/elastic-integrations" "$PAYLOAD" "$NLINES"
fi
SENDER="$SHARED/bench-peers/sender.py"; REUSE=false; KEPT=false
case "$MODE" in
  warm) REUSE=true ;;
  restart) KEPT=true ;;
  paced:*) SENDER="$MODE" ;;
esac
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) mode=$MODE jvm=${CHILD_JVM_ARGS:-} $*"
timeout 1200 java -Xms1g -Xmx1g -XX:+UseG1GC -Dbench.child.reuse="$REUSE" -Dbench.spool.kept="$KEPT" \
  -Dbench.child.jvm.args="${CHILD_JVM_ARGS:-}" -cp "$CP" \
  io.auditrail.ingest.IngestBenchmark "$PAYLOAD" "$SENDER" "$RUNS" "${MODE%%:*}" "$@" 2> "$WORK/bench.err"
