#!/usr/bin/env bash
# The end-to-end benchmark (bench/RESULTS.md, "End to end"): builds bench and what it depends on, then runs
# io.auditrail.bench.e2e.EndToEndBenchmark in one JVM holding a whole dev stack (embedded Kafka and S3 in the JVM,
# PostgreSQL as its child process): the producer ceiling, the simulator at a fixed rate then unpaced, latency probes
# throughout, the counts (exit 1 when they disagree), then the raw-COPY index ceiling.
# Usage (from the checkout root): bash bench/e2e/run.sh [rate=3000] [seconds=30] [maxLines=100000]
#   [ceilingLines=100000] [tenants=8] [seed=42]
# Env: WORK (default ${TMPDIR:-/tmp}/e2e-bench), JVM_ARGS (default -Xms1g -Xmx1g -XX:+UseG1GC).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-${TMPDIR:-/tmp}/e2e-bench}"; mkdir -p "$WORK"
# -am: the reactor's own build of every module, never an older one from ~/.m2; bench/target/lib gets them all
mvn -B -ntp -q -pl bench -am package -DskipTests
CP="bench/target/classes:bench/target/lib/*"
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $*"
# shellcheck disable=SC2086 # JVM_ARGS is a list of options
timeout 900 java ${JVM_ARGS:--Xms1g -Xmx1g -XX:+UseG1GC} -cp "$CP" io.auditrail.bench.e2e.EndToEndBenchmark "$@" \
  2> "$WORK/bench.err"
