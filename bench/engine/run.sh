#!/bin/sh
# How DuckDB takes a group commit of event-shaped rows, by method and batch size (issue #18; BENCHMARKS.md).
# usage: bench/engine/run.sh [rows] [-Dcolumns=28 -DnullShare=0 ...]
#        (1,000,000 rows by default; one line per method and batch size; the -D options shape the rows)
set -e
cd "$(dirname "$0")"
rows="${1:-1000000}"
[ $# -gt 0 ] && shift
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
classpath="target/classes:$(cat target/classpath.txt)"
for batch in ${BATCHES:-10000 100000 1000000}; do
    for method in ${METHODS:-appender arrow csv copy}; do
        # Arrow's memory needs java.nio opened to it
        java -Xmx8g -Drows="$rows" -Dbatch="$batch" "$@" --add-opens=java.base/java.nio=ALL-UNNAMED \
            -cp "$classpath" dev.tally.enginebench.EngineBench "$method" 2>&1 | grep -v '^SLF4J'
    done
done
