#!/usr/bin/env bash
# Builds the benchmarks, runs ours at 1 and 2 threads, runs the PyTorch peer scripts when
# PYTHON can import torch, and prints a table: ours, peer, and speed-up (peer time / our time,
# or our GFLOP/s / peer GFLOP/s: above 1 means we are faster). Never run by CI or `mvn verify`.
#   QUICK=1      fewer repetitions everywhere (a rough table in a few minutes)
#   KERNELS=0    skip the JMH kernel benchmarks (elementwise and matmul)
#   PEER=0       skip PyTorch even if it is installed
#   THREADS      thread counts for ours and the peer (default "1 2"); ours are limited with
#                -Dautograd.threads (the kernel pool), never -XX:ActiveProcessorCount, which would
#                also change the JVM's ergonomics (one processor picks the Serial collector)
#   SERIAL=0     skip the explanatory Serial-GC column (ScalarGraph and SeedMlp at 1 thread again
#                with -XX:+UseSerialGC, what -XX:ActiveProcessorCount=1 would silently pick)
#   WHOLE=0      skip the whole-process rows (benchmarks/whole_process.sh: the seed programs from
#                process start to exit against the same programs in PyTorch; RUNS_PROC, default 5)
#   LIMITS=0     skip measuring the machine limits (../shared/bench/run_limits.sh, one run per
#                thread count): the table's "% peak" column divides GFLOP/s by the FMA peak and GB/s
#                by the STREAM triad measured in this run
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
# Compiled rows (StaticGraph, MlpAdam): seed_step_whole.compiled is the seed's whole loop body compiled, compared
# with PyTorch eager's seed step; seed_static.compiled (the model compiled, the loop eager) with torch.jit.script;
# chain20_static.compiled with PyTorch eager; mlp784_adam_whole.{eager,compiled} compare with each other; the
# *.alloc_per_step rows are bytes allocated per step on the calling thread (ThreadMXBean); the *.gemm_only rows
# time each whole step's matrix products alone (what bounds its compiled row).
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
rm -f "$OUT"/ours.*.txt "$OUT"/serial.*.txt "$OUT"/proc.*.txt
if [ "${LIMITS:-1}" = 1 ] && command -v gcc >/dev/null; then
  echo "== machine limits (run_limits.sh, load $(cut -d' ' -f1 /proc/loadavg))" >&2
  RUNS=1 IDLE=0 TRIES=1 MAX_FOREIGN=100 THREADS="$THREADS" OUT="$OUT/limits" PYTHON=python3 \
    "$BENCH/run_limits.sh" > /dev/null
fi

echo "== building (mvn package -pl benchmarks -am, tests skipped)" >&2
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests >&2
CP="$(cat benchmarks/target/classpath.txt):benchmarks/target/classes"

# the training products (A or B transposed as in backward); squares come from KernelBench/matmul.py
TRAINING_SHAPES="64x1000x100,1000x64x100:tA,64x100x1000:tB,64x1000x100:tB,64x10x100:tB,100x64x10:tA,64x100x10,128x784x512:tB,128x512x256:tB,128x256x10:tB,128x10x256,128x256x512,512x128x784:tA,256x128x512:tA,10x128x256:tA"
if [ "${QUICK:-0}" = 1 ]; then
  SG="--reps 7 --warmup 40"; SEED="--iters 200 --warmup 100"; ADAM="--iters 60 --warmup 20"
  CHAIN="--reps 9 --warmup 5"; STATIC="--iters 100 --warmup 50"; MEM="--steps 4000 --every 1000"; KB="--sizes 1000,1000000"; MMS="--reps 3 --min-ms 20 --shapes $TRAINING_SHAPES"
  PEER_ARGS_SEED="--iters 200 --warmup 50"; PEER_ARGS_ADAM="--iters 60 --warmup 20"
else
  SG="--reps 21 --warmup 40"; SEED="--iters 500 --warmup 200"; ADAM="--iters 300 --warmup 50"
  CHAIN="--reps 21 --warmup 10"; STATIC=""; MEM="--steps 20000 --every 2000"; KB=""; MMS="--shapes $TRAINING_SHAPES"
  PEER_ARGS_SEED=""; PEER_ARGS_ADAM=""
fi

run_ours() { # threads, main class, args...: the JVM's default ergonomics, our kernel threads limited
  local t="$1" main="$2"; shift 2
  echo "== ours t$t: $main $* (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$JAVA" --add-modules=jdk.incubator.vector -Dautograd.threads="$t" $JVM_OPTS -cp "$CP" \
    "dev.autograd.bench.$main" "$@" 2> >(grep -v 'incubator modules' >&2) | tee -a "$OUT/ours.t$t.txt"
}
run_serial() { # main class, args...: one kernel thread under the Serial collector (explanation only)
  local main="$1"; shift
  echo "== ours t1, Serial GC: $main $*" >&2
  "$JAVA" --add-modules=jdk.incubator.vector -Dautograd.threads=1 -XX:+UseSerialGC $JVM_OPTS -cp "$CP" \
    "dev.autograd.bench.$main" "$@" 2> >(grep -v 'incubator modules' >&2) >> "$OUT/serial.t1.txt"
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
if [ "${SERIAL:-1}" = 1 ]; then
  run_serial ScalarGraph $SG
  run_serial SeedMlp $SEED
fi
if [ "${WHOLE:-1}" = 1 ]; then
  echo "== whole processes (benchmarks/whole_process.sh, RUNS=${RUNS_PROC:-5})" >&2
  RUNS="${RUNS_PROC:-5}" PYTHON="$PYTHON" OUT="$OUT" JVM_OPTS="$JVM_OPTS" \
    benchmarks/whole_process.sh > /dev/null
fi

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
  echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') (cpu family $(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //')), $(nproc) cpus; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# java: $("$JAVA" -version 2>&1 | head -1); our JVM flags: ${JVM_OPTS:-defaults} (GC and heap by the JVM's ergonomics), kernel threads -Dautograd.threads=T for .tT"
  if [ "$peer" = 1 ]; then
    echo "# peer: $(head -1 "$OUT/peers/torch-config.default.txt" | sed 's/^# //') ($PYTHON), RUNS=${RUNS:-1}"
  else
    echo "# peer: PyTorch not available ($PYTHON cannot import torch, or PEER=0): our figures only"
  fi
  if [ -f "$OUT/limits/limits.summary.txt" ]; then
    echo "# limits measured in this run: $(awk '$1 ~ /^(peak_fma_avx512_fp32|stream_triad_f32)\./ { printf "%s %s %s; ", $1, $2, $7 }' "$OUT/limits/limits.summary.txt")"
  fi
  echo "# median and p90 (the slow tail: for rates the 10th percentile) of each row's samples; proc.* rows over whole processes"
  echo "# speed-up = peer time / our time (or our rate / peer rate): above 1 means we are faster"
  echo "# serial = ours with -XX:+UseSerialGC (what -XX:ActiveProcessorCount=1 silently picks), for explanation only"
} | tee "$OUT/table.txt"
peerfiles=""
[ "$peer" = 1 ] && peerfiles="$(ls "$OUT"/peers/*.txt 2>/dev/null | tr '\n' ' ')"
awk -v peerfiles="$peerfiles" -v serialfile="$OUT/serial.t1.txt" -v limitsfile="$OUT/limits/limits.summary.txt" \
    -v procpeer="$OUT/proc.peer.txt" '
  function readtails(file, arr,   line) { # "# name ... p10=X p90=Y": the tails of name
    while ((getline line < file) > 0) if (line ~ /^# /) tails(line, arr)
    close(file)
  }
  function tails(line, arr,   n, f, i) {
    n = split(line, f, " ")
    for (i = 3; i <= n; i++) if (f[i] ~ /^p(10|90)=/) arr[f[2] SUBSEP substr(f[i], 1, 3)] = substr(f[i], 5)
  }
  function readvalues(file, vals, units,   line, f, n) {
    while ((getline line < file) > 0) {
      n = split(line, f, " ")
      if (line ~ /^#/) continue
      if (n == 3 && f[2] ~ /^[0-9.e+-]+$/) { vals[f[1]] = f[2]; units[f[1]] = f[3] }
      else if (n == 7 && f[2] ~ /^[0-9.e+-]+$/) { vals[f[1]] = f[2]; units[f[1]] = f[7] } # aggregate.py
    }
    close(file)
  }
  function slow(arr, name, unit,   q) { # the slow tail of name in arr, or "-"
    q = (unit ~ /\/s$/) ? "p10" : "p90"
    return ((name SUBSEP q) in arr) ? arr[name SUBSEP q] : "-"
  }
  function fmt(v) { return v == "-" ? "-" : sprintf("%.4g", v) }
  function tons(u,   f) { # a time unit per step/iter/op in ns (us/iter and ms/step compare), else 0
    if (split(u, f, "/") != 2 || f[2] !~ /^(step|iter|op)$/) return 0
    return f[1] == "ns" ? 1 : f[1] == "us" ? 1e3 : f[1] == "ms" ? 1e6 : f[1] == "s" ? 1e9 : 0
  }
  function sameunit(a, b) { return a == b || (tons(a) > 0 && tons(b) > 0) }
  function inunit(v, from, to) { return (from == to || v == "-") ? v : v * tons(from) / tons(to) }
  BEGIN {
    # compiled rows (Autograd.compile) against the PyTorch row they must beat: the whole compiled seed
    # step against eager PyTorch (the seed-as-written compiled model against torch.jit.script has its own
    # row name, seed_static.compiled), the compiled 20-op chain against eager PyTorch
    alias["seed_step_whole.compiled"] = "seed_static.eager"
    alias["seed_static.compiled"] = "seed_static.script"
    alias["chain20_static.compiled"] = "chain20_static.eager"
    np = split(peerfiles, pf, " ")
    for (i = 1; i <= np; i++) {
      if (pf[i] ~ /summary\.txt$/) readvalues(pf[i], peer, punit)
      else if (pf[i] ~ /\.run1\.txt$/) readtails(pf[i], ptail)
    }
    if (np > 0) { readvalues(procpeer, peer, punit); readtails(procpeer, ptail) }
    readvalues(serialfile, serial, sunit)
    readvalues(limitsfile, lim, lunit)
    printf "%-40s %10s %10s %10s %10s %-9s %8s %7s %10s\n", "workload", "ours", "ours p90", "peer", "peer p90", "unit", "speed-up", "% peak", "serial"
  }
  /^# / { tails($0, otail); next }
  /^#/ || NF != 3 { next }
  # a row printed again (a benchmark measuring in rounds) keeps its place and takes the last value
  { if (!($1 in val)) name[++rows] = $1; val[$1] = $2 + 0; unit[$1] = $3 }
  END {
    for (r = 1; r <= rows; r++) {
      nm = name[r]; v = val[nm]; u = unit[nm]
      p = "-"; s = "-"; pt = "-"
      pn = nm; stem = nm; sub(/\.t[0-9]+$/, "", stem)
      if (!(pn in peer) && (stem in alias)) pn = alias[stem] substr(nm, length(stem) + 1)
      if ((pn in peer) && sameunit(punit[pn], u)) {
        p = inunit(peer[pn] + 0, punit[pn], u)
        s = (u ~ /\/s$/) ? (p > 0 ? sprintf("%.2fx", v / p) : "-") : (v > 0 ? sprintf("%.2fx", p / v) : "-")
        pt = inunit(slow(ptail, pn, punit[pn]), punit[pn], u)
      }
      pk = "-"
      t = nm; sub(/.*\.t/, "", t); sub(/\..*/, "", t)
      if (u == "GFLOP/s" && ("peak_fma_avx512_fp32.t" t) in lim) pk = sprintf("%.0f%%", 100 * v / lim["peak_fma_avx512_fp32.t" t])
      if (u == "GB/s" && ("stream_triad_f32.t" t) in lim) pk = sprintf("%.0f%%", 100 * v / lim["stream_triad_f32.t" t])
      sv = ((nm in serial) && sunit[nm] == u) ? fmt(serial[nm]) : "-"
      printf "%-40s %10s %10s %10s %10s %-9s %8s %7s %10s\n", nm, fmt(v), fmt(slow(otail, nm, u)), fmt(p), fmt(pt), u, s, pk, sv
    }
  }' "$OUT"/ours.t*.txt $( [ -f "$OUT/proc.ours.txt" ] && echo "$OUT/proc.ours.txt" ) | tee -a "$OUT/table.txt"
echo "(raw results in $OUT)" >&2
