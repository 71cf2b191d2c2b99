#!/usr/bin/env bash
# The streams benchmark (bench/RESULTS.md, "Streams"): builds streams' test classes and their classpath in one reactor
# invocation (-pl streams -am: core and embedded from their target/ directories, never from ~/.m2), then runs
# io.auditrail.streams.StreamsBenchmark (streams/src/test/java): the embedded broker, a producer, a read_committed
# counting consumer and the streams stage in one JVM; a backlog of PAIRS request/response pairs, then RATE lines/s for
# SECONDS.
# Usage (from the checkout root): bash streams/bench/run.sh [PAIRS=100000] [RATE=10000] [SECONDS=20] [key=value ...]
#   (trailing key=value: streams settings, e.g. streams.commit.interval.ms=500)
# Env: WORK (default ${TMPDIR:-/tmp}/streams-bench), JVM_ARGS (default -Xmx1g; e.g. add -XX:StartFlightRecording=...).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-${TMPDIR:-/tmp}/streams-bench}"; mkdir -p "$WORK"
mvn -B -q -pl streams -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" \
  -Dmdep.includeScope=test
CP="streams/target/test-classes:streams/target/classes:core/target/classes:core/target/test-classes:embedded/target/classes"
CP="$CP:$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/io/auditrail/' | paste -sd:)"
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $*"
# the benchmark's broker log and state stores go to a temp directory (java.io.tmpdir) it does not remove: point that
# into WORK and clear it afterwards
TMP="$WORK/tmp"; rm -rf "$TMP"; mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
# shellcheck disable=SC2086 # JVM_ARGS is a list of options
timeout 1200 java ${JVM_ARGS:--Xmx1g} -Djava.io.tmpdir="$TMP" -cp "$CP" io.auditrail.streams.StreamsBenchmark "$@"
