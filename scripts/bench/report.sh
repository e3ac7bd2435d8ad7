#!/usr/bin/env bash
# How long writing and opening report.html take for a long run: ROUNDS rounds x LAYERS layers
# (default 20000 x 20), medians of 3, as JSON in OUT (default target/bench/report.json).
# Needs Debian's chromium and chromium-driver, like the report's browser test.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-20000}
LAYERS=${2:-20}
OUT=${3:-target/bench/report.json}
mkdir -p target/bench
mvn -B -o -q -pl build/spark4 test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench/report-cp.txt" -Dmdep.includeScope=test
java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench/report-cp.txt)" io.sitter.report.ReportBench "$ROUNDS" "$LAYERS" "$OUT"
cat "$OUT"
