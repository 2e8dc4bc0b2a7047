#!/usr/bin/env bash
# Builds the benchmarks, runs ours at 1 and 2 threads, runs the PyTorch peer scripts when
# PYTHON can import torch, and prints a table: ours, peer, and speed-up (peer time / our time,
# or our GFLOP/s / peer GFLOP/s: above 1 means we are faster). Never run by CI or `mvn verify`.
#   QUICK=1      fewer repetitions everywhere (a rough table in a few minutes)
#   KERNELS=0    skip the JMH kernel benchmarks (elementwise and matmul)
#   PEER=0       skip PyTorch even if it is installed
#   THREADS      thread counts for ours and the peer (default "1 2"); ours are limited with
#                -XX:ActiveProcessorCount (the kernel pool sizes itself from it)
#   PYTHON       interpreter with torch (default /usr/bin/python3)
#   BENCH        the peer scripts' folder (default ../shared/bench next to the project)
#   RUNS, IDLE, TRIES, MAX_FOREIGN   passed to run_peers.sh (defaults 1, 0, 1, 5: on a shared
#                machine waiting for idle CPUs can take minutes; raise them for a careful run)
#   JVM_OPTS     extra flags for our JVMs (default none: the JVM's defaults, what a user gets).
#                JVM_OPTS=-Xms2g helps chains of multi-megabyte tensors (G1 then stops shrinking and
#                re-committing the heap) but slows graphs of many small tensors (a large young
#                generation spreads their allocations over cold memory): see README-perf.md
#   OUT          results folder (default benchmarks/target/compare)
#   TABLE_ONLY=1 only print the table again from the results already in OUT
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
OUT="${OUT:-$root/benchmarks/target/compare}"
PYTHON="${PYTHON:-/usr/bin/python3}"
THREADS="${THREADS:-1 2}"
BENCH="${BENCH:-$root/../shared/bench}"
[ -d "$BENCH" ] || BENCH=/work/shared/bench
mkdir -p "$OUT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JVM_OPTS="${JVM_OPTS:-}"
peer=0
if [ "${TABLE_ONLY:-0}" = 1 ]; then
  [ -d "$OUT/peers" ] && peer=1
else
rm -f "$OUT"/ours.*.txt

echo "== building (mvn package -pl benchmarks -am, tests skipped)" >&2
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests >&2
CP="$(cat benchmarks/target/classpath.txt):benchmarks/target/classes"

# the training products (A or B transposed as in backward); squares come from KernelBench/matmul.py
TRAINING_SHAPES="64x1000x100,1000x64x100:tA,64x100x1000:tB,64x1000x100:tB,64x10x100:tB,100x64x10:tA,64x100x10,128x784x512:tB,128x512x256:tB,128x256x10:tB,128x10x256,128x256x512,512x128x784:tA,256x128x512:tA,10x128x256:tA"
if [ "${QUICK:-0}" = 1 ]; then
  SG="--reps 7 --warmup 20"; SEED="--iters 200 --warmup 100"; ADAM="--iters 60 --warmup 20"
  CHAIN="--reps 9 --warmup 5"; STATIC="--iters 100 --warmup 50"; MEM="--steps 4000 --every 1000"; KB="--sizes 1000,1000000"; MMS="--reps 3 --min-ms 20 --shapes $TRAINING_SHAPES"
  PEER_ARGS_SEED="--iters 200 --warmup 50"; PEER_ARGS_ADAM="--iters 60 --warmup 20"
else
  SG="--reps 21 --warmup 20"; SEED="--iters 500 --warmup 200"; ADAM="--iters 300 --warmup 50"
  CHAIN="--reps 21 --warmup 10"; STATIC=""; MEM="--steps 20000 --every 2000"; KB=""; MMS="--shapes $TRAINING_SHAPES"
  PEER_ARGS_SEED=""; PEER_ARGS_ADAM=""
fi

run_ours() { # threads, main class, args...
  local t="$1" main="$2"; shift 2
  echo "== ours t$t: $main $*" >&2
  "$JAVA" --add-modules=jdk.incubator.vector -XX:ActiveProcessorCount="$t" $JVM_OPTS -cp "$CP" \
    "dev.autograd.bench.$main" "$@" 2> >(grep -v 'incubator modules' >&2) | tee -a "$OUT/ours.t$t.txt"
}

for t in $THREADS; do
  run_ours "$t" ScalarGraph $SG
  run_ours "$t" SeedMlp $SEED
  run_ours "$t" MlpAdam $ADAM
  run_ours "$t" ElementwiseChain $CHAIN
  run_ours "$t" StaticGraph $STATIC
  [ "$t" = 1 ] && run_ours "$t" Memory $MEM
  [ "${KERNELS:-1}" = 1 ] && run_ours "$t" KernelBench --threads "$t" $KB
  [ "${KERNELS:-1}" = 1 ] && run_ours "$t" MatmulShapes $MMS
done

if [ "${PEER:-1}" = 1 ] && "$PYTHON" -c 'import torch' 2>/dev/null && [ -x "$BENCH/run_peers.sh" ]; then
  peer=1
  rm -rf "$OUT/peers"
  scripts="scalar_graph seed_mlp mlp_adam elementwise_chain static_graph"
  [ "${KERNELS:-1}" = 1 ] && scripts="$scripts matmul elementwise"
  for s in $scripts; do
    args=""
    case "$s" in
      seed_mlp) args="$PEER_ARGS_SEED" ;;
      mlp_adam) args="$PEER_ARGS_ADAM" ;;
      elementwise) [ "${QUICK:-0}" = 1 ] && args="--sizes 1000,1000000" ;;
      matmul) args="--sizes 128,256,512,1024,2048" ;;
    esac
    echo "== peer: $s $args" >&2
    PYTHON="$PYTHON" RUNS="${RUNS:-1}" IDLE="${IDLE:-0}" TRIES="${TRIES:-1}" THREADS="$THREADS" \
      OUT="$OUT/peers" SCRIPTS="$s" ARGS="$args" "$BENCH/run_peers.sh" >/dev/null
  done
  if [ "${KERNELS:-1}" = 1 ]; then # our own peer script: the training shapes, timed like MatmulShapes
    files=()
    for t in $THREADS; do
      echo "== peer: matmul_shapes t$t" >&2
      "$PYTHON" benchmarks/peers/matmul_shapes.py --threads "$t" $MMS > "$OUT/peers/matmul_shapes.t$t.txt"
      files+=("$OUT/peers/matmul_shapes.t$t.txt")
    done
    "$PYTHON" "$BENCH/peers/aggregate.py" "${files[@]}" > "$OUT/peers/matmul_shapes.default.summary.txt"
  fi
fi
fi

{
  echo "# autograd vs PyTorch, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cpus; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# java: $("$JAVA" -version 2>&1 | head -1); our JVM flags: ${JVM_OPTS:-defaults}"
  if [ "$peer" = 1 ]; then
    echo "# peer: $(head -1 "$OUT/peers/torch-config.default.txt" | sed 's/^# //') ($PYTHON), RUNS=${RUNS:-1}"
  else
    echo "# peer: PyTorch not available ($PYTHON cannot import torch, or PEER=0): our figures only"
  fi
  echo "# speed-up = peer time / our time (or our rate / peer rate): above 1 means we are faster"
} | tee "$OUT/table.txt"
cat "$OUT"/ours.t*.txt | awk -v peerdir="$OUT/peers" -v havepeer="$peer" '
  BEGIN {
    if (havepeer == 1) {
      cmd = "cat " peerdir "/*.summary.txt 2>/dev/null"
      while ((cmd | getline line) > 0) {
        n = split(line, f, " ")
        if (n == 7 && f[2] ~ /^[0-9.e+-]+$/) { peer[f[1]] = f[2]; punit[f[1]] = f[7] }
      }
      close(cmd)
    }
    printf "%-44s %12s %12s %-9s %8s\n", "workload", "ours", "peer", "unit", "speed-up"
  }
  /^#/ || NF != 3 { next }
  {
    name = $1; v = $2 + 0; unit = $3
    if (name in peer && punit[name] == unit) {
      p = peer[name] + 0
      rate = (unit ~ /\/s$/)
      s = rate ? (p > 0 ? v / p : 0) : (v > 0 ? p / v : 0)
      printf "%-44s %12.4g %12.4g %-9s %7.2fx\n", name, v, p, unit, s
    } else {
      printf "%-44s %12.4g %12s %-9s %8s\n", name, v, "-", unit, "-"
    }
  }' | tee -a "$OUT/table.txt"
echo "(raw results in $OUT)" >&2
