#!/usr/bin/env bash
# The pack-load benchmark (bench/RESULTS.md, "Reports"): builds reports' test classes and runs
# io.auditrail.reports.api.PackLoadBenchmark (reports/src/test/java): one private PostgreSQL and S3, a large tenant
# and a small one; the small tenant's searches and summaries alone, then while the large tenant's tokens ask for
# 90-day packs as fast as they can, with the shipped bounds and with the bounds opened up, in one run.
# Usage (from the checkout root): bash reports/bench/run.sh [BIG_EVENTS=300000] [SECONDS=30] [ATTACKERS=8]
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-${TMPDIR:-/tmp}/reports-bench}"; mkdir -p "$WORK"
# one reactor run: the modules' classes resolve from target/, and the last classpath written is reports'
mvn -B -q -pl reports -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" \
  -Dmdep.includeScope=test
CP="reports/target/test-classes:reports/target/classes"
for m in core archive index embedded; do CP="$CP:$m/target/classes"; done
CP="$CP:$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/io/auditrail/' | paste -sd:)"
echo "# $(date -u) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $*"
timeout 1800 java -Xms1g -Xmx1g -XX:+UseG1GC -cp "$CP" io.auditrail.reports.api.PackLoadBenchmark "$@"
