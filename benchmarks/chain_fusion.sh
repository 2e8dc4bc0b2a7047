#!/usr/bin/env bash
# The 20-op element-wise chain on 1e6 floats (forward + backward) in interleaved processes: ours
# (StaticGraph --chain-only: eager, compiled with fusion, compiled without, in rounds) and PyTorch
# eager (the peer's chain_steps from ../shared/bench/peers/static_graph.py), ROUNDS times each,
# alternating, one kernel thread each; prints every median and p90 (wall time, and the calling
# thread's CPU time as .cpu rows: steadier under load) and the load average, then the medians over
# all rounds. Never run by CI. Build first: mvn -B -o -pl benchmarks -am package -DskipTests
#   ROUNDS (default 3), ITERS per measurement (default 30), PYTHON (default /usr/bin/python3), BENCH (../shared/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"; ITERS="${ITERS:-30}"; PYTHON="${PYTHON:-/usr/bin/python3}"
BENCH="${BENCH:-$(cd .. && pwd)/shared/bench}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
CP="$(cat benchmarks/target/classpath.txt):benchmarks/target/classes"
OUT="${OUT:-benchmarks/target/chain_fusion}"; mkdir -p "$OUT"; : > "$OUT/rows.txt"
for r in $(seq "$ROUNDS"); do
  echo "== round $r: ours (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$JAVA" --add-modules=jdk.incubator.vector -Dautograd.threads=1 -cp "$CP" dev.autograd.bench.StaticGraph \
    --chain-only --rounds 1 --iters "$((ITERS * 10))" --warmup 100 2> >(grep -v 'incubator modules' >&2) | tee -a "$OUT/rows.txt"
  echo "== round $r: PyTorch eager (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$PYTHON" - "$BENCH/peers" "$ITERS" <<'PY' | tee -a "$OUT/rows.txt"
import os, statistics, sys
sys.path.insert(0, sys.argv[1])
import torch
import static_graph as sg
torch.set_num_threads(1)
import time
torch.manual_seed(0)
x = (torch.rand(1_000_000) * 2 - 1).requires_grad_()
xs, cs = [], []
for it in range(5 + int(sys.argv[2])):  # the peer's chain_steps, with the thread's CPU time too
    x.grad = None
    t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
    sg.chain(x).backward()
    if it >= 5:
        xs.append((time.perf_counter_ns() - t0) / 1e3); cs.append((time.thread_time_ns() - c0) / 1e3)
p90 = lambda v: sorted(v)[max(0, -(-9 * len(v) // 10) - 1)]
print(f"chain20_static.torch_eager.t1 {statistics.median(xs):.1f} us/iter")
print(f"chain20_static.torch_eager.t1.p90 {p90(xs):.1f} us/iter")
print(f"chain20_static.torch_eager.t1.cpu {statistics.median(cs):.1f} us/iter")
print(f"chain20_static.torch_eager.t1.cpu.p90 {p90(cs):.1f} us/iter")
print(f"# load average {os.getloadavg()[0]:.2f}")
PY
done
echo "== medians over the $ROUNDS rounds (ms; load now $(cut -d' ' -f1 /proc/loadavg))"
"$PYTHON" - "$OUT/rows.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 3 and f[0].startswith(("chain20_static", "bias_chain_static")) and f[2] == "us/iter":
        rows.setdefault(f[0], []).append(float(f[1]) / 1000)
for k in sorted(rows):
    print(f"{k:44s} {statistics.median(rows[k]):8.2f} ms  (rounds: {' '.join(f'{v:.2f}' for v in rows[k])})")
PY
