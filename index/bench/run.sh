#!/usr/bin/env bash
# The index benchmark (bench/RESULTS.md, "Index"): builds index's test classes and runs
# io.auditrail.index.IndexBenchmark (index/src/test/java): a private PostgreSQL 15 (fsync on), the writer
# (COPY to staging + INSERT ... ON CONFLICT DO NOTHING) beside a raw COPY of the same rows into an identical table
# in a second database, batch by batch alternately; then the first-page query and EXPLAIN of the indexed queries.
# Usage (from the checkout root): bash index/bench/run.sh [ROWS=3000000] [DAYS=90] [TENANTS=50] [BATCH=5000]
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-${TMPDIR:-/tmp}/index-bench}"; mkdir -p "$WORK"
# one reactor invocation: build-classpath resolves core and embedded to their target/ directories only when the same
# build compiled them (a second mvn call would look for them in ~/.m2, where nothing may be installed)
mvn -B -q -pl index -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" -Dmdep.includeScope=test
CP="index/target/test-classes:index/target/classes:core/target/classes:core/target/test-classes:embedded/target/classes"
CP="$CP:$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/io/auditrail/' | paste -sd:)"
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $*"
timeout 1800 java -Xms2g -Xmx2g -XX:+UseG1GC -cp "$CP" io.auditrail.index.IndexBenchmark "$@"
