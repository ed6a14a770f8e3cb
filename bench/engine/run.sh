#!/bin/sh
# How DuckDB takes a group commit of event-shaped rows, by method and batch size (issue #18; BENCHMARKS.md).
# usage: bench/engine/run.sh [rows]      (1,000,000 by default; prints one line per method and batch size)
set -e
cd "$(dirname "$0")"
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
classpath="target/classes:$(cat target/classpath.txt)"
for batch in 10000 100000 1000000; do
    for method in appender arrow csv copy; do
        # Arrow's memory needs java.nio opened to it
        java -Xmx8g -Drows="${1:-1000000}" -Dbatch="$batch" --add-opens=java.base/java.nio=ALL-UNNAMED \
            -cp "$classpath" dev.tally.enginebench.EngineBench "$method" 2>&1 | grep -v '^SLF4J'
    done
done
