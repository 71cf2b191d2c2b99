#!/usr/bin/env bash
# The multi-process benchmark (bench/RESULTS.md, "End to end, one process per stage"): builds the CLI and bench with
# what they depend on (-pl bench -am, the reactor's own modules, never ~/.m2's), then runs
# io.auditrail.bench.multiproc.MultiProcessBenchmark, which starts the Kafka broker and the S3 server each in a JVM of
# its own, PostgreSQL as dev mode does, and every stage as `java -jar app/target/auditrail.jar <stage>`.
# Usage (from anywhere): bash bench/multiproc/run.sh [mode=run|faults|scaleout] [rate=6000] [seconds=30]
#   [maxLines=200000] [ceilingLines=100000] [faultSeconds=20] [faults=ingest,streams,...,broker] [scaleLines=200000]
#   [sessionTimeoutMs=10000] [tenants=8] [seed=42]
# Env: WORK (default ${TMPDIR:-/tmp}/multiproc-bench; the run's data is removed at the end unless KEEP_WORK is set),
#   HARNESS_JVM (default -Xms1g -Xmx1g), STAGE_JVM_OPTIONS_<STAGE> (replaces a stage's heap options),
#   STAGE_JVM_OPTIONS (added to every stage, e.g. a flight recording), SKIP_BUILD=1 (use the jars already built).
set -euo pipefail
cd "$(dirname "$0")/../.."
export WORK="${WORK:-${TMPDIR:-/tmp}/multiproc-bench}"; mkdir -p "$WORK"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -pl bench -am package -DskipTests
fi
CP="bench/target/classes:bench/target/lib/*"
echo "# $(date -u) $(hostname) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git rev-parse --short HEAD 2>/dev/null || echo -) $*"
# shellcheck disable=SC2086 # HARNESS_JVM is a list of options
timeout 1800 java ${HARNESS_JVM:--Xms1g -Xmx1g -XX:+UseG1GC} -cp "$CP" io.auditrail.bench.multiproc.MultiProcessBenchmark \
  app=app/target/auditrail.jar "$@" 2> "$WORK/harness.err"
