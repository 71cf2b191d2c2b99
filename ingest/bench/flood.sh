#!/usr/bin/env bash
# The ingest flood benchmark (bench/RESULTS.md, "Ingest under a flood", issue 17 item 4): builds ingest's test
# classes, then runs io.auditrail.ingest.IngestFlood (ingest/src/test/java): an embedded broker in the benchmark
# JVM, ingest in a child JVM with the deployed heap (-Xms256m -Xmx256m -XX:+AlwaysPreTouch), HOGS peers sending
# 8 MiB without a newline (again whenever cut off), IDLE idle connections, and a Vault-like connection writing
# 200 prefixed lines/s and reconnecting twice, for SECONDS; three times in one session: Vault alone, the flood
# with the defaults, and the flood with the partial-line budget set too large to bind
# (ingest.partial.lines.max.bytes=1 TiB), i.e. as before the budget.
# Usage (from the checkout root): bash ingest/bench/flood.sh [HOGS=40 IDLE=1500 SECONDS=20]
# Env: WORK (default ${TMPDIR:-/tmp}/ingest-flood). Bounded by `timeout`; the children's stderr stays in WORK.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-${TMPDIR:-/tmp}/ingest-flood}"; mkdir -p "$WORK"
# one invocation: the reactor resolves core and embedded from their target/ directories
mvn -B -q -o -pl ingest -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" \
  -Dmdep.includeScope=test
CP="ingest/target/test-classes:ingest/target/classes:core/target/classes:core/target/test-classes:embedded/target/classes"
CP="$CP:$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/io/auditrail/' | paste -sd:)"
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $*"
timeout 1200 java -Xms1g -Xmx1g -XX:+UseG1GC -Djava.io.tmpdir="$WORK" -cp "$CP" io.auditrail.ingest.IngestFlood "$@" \
  2> "$WORK/flood.err"
echo "# done $(date -u) load=$(cut -d' ' -f1-3 /proc/loadavg)"
