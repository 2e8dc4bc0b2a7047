#!/usr/bin/env bash
# The seed programs as whole processes, ours (SeedProgram on the JVM's default flags) against the
# same programs in PyTorch (peers/programs/*.py), runs interleaved (ours, peer, ours, peer ...):
# wall time, CPU time (user + system) and peak RSS from GNU time, median and p90 over RUNS.
# A program named run:NAME is the sample NAME as users start it, through ./run (its build check,
# the samples' class path, the loss plot it writes), against the peer of the same seed program.
# Writes proc.ours.txt and proc.peer.txt (`name median unit` + `# name p90=...`) into OUT.
#   RUNS (default 5)   PROGRAMS (default "two_layer_net grad_x2_exp linear_regression_nn iris",
#                      plus run:TwoLayerNet once the samples are built)
#   PYTHON (default /usr/bin/python3; the peer is skipped when it cannot import torch)
#   JVM_OPTS (default none)
#   CP (default: what the programs need, as a user's program would have it: the benchmarks'
#       classes, autograd-core and autograd-nn — not the benchmarks module's ~200 Spark and JMH
#       jars, which the class loader would open and index before finding a class placed after them)
#   OUT (default benchmarks/target/compare)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
RUNS="${RUNS:-5}"
default_programs="two_layer_net grad_x2_exp linear_regression_nn iris"
[ -f samples/target/classpath.txt ] && default_programs="$default_programs run:TwoLayerNet"
PROGRAMS="${PROGRAMS:-$default_programs}"
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT="${OUT:-$root/benchmarks/target/compare}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
modules="$(tr ':' '\n' < benchmarks/target/classpath.txt | grep -E '/autograd-(core|nn)[^/]*\.jar$|/autograd-(core|nn)/target/classes$' | paste -sd:)"
CP="${CP:-benchmarks/target/classes:$modules}"
[ -x /usr/bin/time ] || { echo "whole_process.sh: needs GNU time (apt-get install -y time)" >&2; exit 1; }
peer=1
"$PYTHON" -c 'import torch' 2>/dev/null || peer=0
mkdir -p "$OUT"
raw="$OUT/proc.raw.txt"
: > "$raw"
measure() { # side, program, command...: appends "side program wall cpu rss_kb"
  local side="$1" prog="$2" f
  shift 2
  f="$(mktemp)"
  /usr/bin/time -f '%e %U %S %M' -o "$f" "$@" > /dev/null 2> >(grep -v 'incubator modules' >&2)
  awk -v s="$side" -v p="$prog" '{ printf "%s %s %s %.3f %s\n", s, p, $1, $2 + $3, $4 }' "$f" >> "$raw"
  rm -f "$f"
}
for p in $PROGRAMS; do # ./run builds first when a source changed: not in the measured runs
  case "$p" in run:*) ./run "${p#run:}" --plot "$OUT/${p#run:}.png" > /dev/null ;; esac
done
for r in $(seq 1 "$RUNS"); do
  for p in $PROGRAMS; do
    echo "== run $r/$RUNS: $p (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    case "$p" in
      run:*) # the sample through ./run, as users start it; the peer of the same seed program
        sample="${p#run:}"
        measure ours "${p/:/_}" env ${JVM_OPTS:+JAVA_TOOL_OPTIONS="$JVM_OPTS"} ./run "$sample" --plot "$OUT/$sample.png"
        script="$(sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' <<<"$sample" | tr 'A-Z' 'a-z')" ;;
      *)
        measure ours "$p" "$JAVA" --add-modules=jdk.incubator.vector ${JVM_OPTS:-} -cp "$CP" dev.autograd.bench.SeedProgram "$p"
        script="$p" ;;
    esac
    [ "$peer" = 1 ] && measure peer "${p/:/_}" "$PYTHON" "benchmarks/peers/programs/$script.py"
  done
done
for side in ours peer; do
  awk -v s="$side" '
    function stat(key, unit, scale,   n, i, j, t, v) {
      n = split(vals[key], v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      i = int(0.9 * n + 0.999)  # nearest rank
      printf "%s %.4g %s\n# %s p90=%.4g n=%d\n", key, med * scale, unit, key, v[i] * scale, n
    }
    $1 == s { order[$2] = 1; vals["proc." $2 ".wall"] = vals["proc." $2 ".wall"] " " $3
              vals["proc." $2 ".cpu"] = vals["proc." $2 ".cpu"] " " $4; vals["proc." $2 ".rss"] = vals["proc." $2 ".rss"] " " $5 }
    END { for (p in order) { stat("proc." p ".wall", "s", 1); stat("proc." p ".cpu", "s", 1); stat("proc." p ".rss", "MB", 1 / 1024) } }
  ' "$raw" > "$OUT/proc.$side.txt"
done
cat "$OUT/proc.ours.txt"
