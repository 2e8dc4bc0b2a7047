#!/usr/bin/env bash
# Spark data-parallel training vs in-process training (SparkBench): per-step time, local[1] vs
# local[2] throughput, all-reduce bytes per step. Writes benchmarks/target/spark-bench.md.
# Each task runs its kernels on one thread (-Dautograd.threads=1): the executors' cores are the
# parallelism. SKIP_BUILD=1 reuses the last build; extra arguments go to SparkBench.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f benchmarks/target/classpath.txt || ! -f benchmarks/target/spark-jvm-flags.txt ]]; then
  mvn -B -q -pl benchmarks -am package -DskipTests >/dev/null || { echo "build failed: run mvn -pl benchmarks -am package" >&2; exit 1; }
fi
uptime
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" --add-modules=jdk.incubator.vector @benchmarks/target/spark-jvm-flags.txt -Dautograd.threads=1 \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.autograd.bench.SparkBench --out benchmarks/target/spark-bench.md "$@"
