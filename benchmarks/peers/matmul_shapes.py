"""float32 matrix products of the training shapes and squares, timed like MatmulShapes.java.

Shapes MxKxN[:tA|:tB]: torch.mm(a, b) (allocating), a transposed operand is a .t() view as in
backward; sqN: torch.mm(a, b, out=c). Each sample repeats the call >= --min-ms; the median of
--reps samples is printed as `mm_shape.MxKxN[_tA|_tB].tT value GFLOP/s` (and `.time` in us),
`mm_out.nN.tT` for squares.
Usage: python3 matmul_shapes.py [--threads 1] [--reps 7] [--min-ms 50] [--clock wall|cpu]
[--shapes 64x1000x100,sq256]. --clock cpu times the calling thread's CPU time (rows end in .cpu),
as MatmulShapes --clock cpu does: meant for one thread, where the GEMM runs on the calling thread.
"""
import argparse
import statistics
import time

import torch

DEFAULT = ("64x1000x100,1000x64x100:tA,64x100x1000:tB,64x1000x100:tB,64x10x100:tB,100x64x10:tA,64x100x10,"
           "128x784x512:tB,128x512x256:tB,128x256x10:tB,128x10x256,128x256x512,512x128x784:tA,256x128x512:tA,10x128x256:tA,"
           "sq128,sq256,sq512,sq1024,sq2048")


def measure(fn, reps, min_ms, now=time.perf_counter_ns):
    k = 1
    for _ in range(3):
        while True:
            t0 = now()
            for _ in range(k):
                fn()
            dt = now() - t0
            if dt >= min_ms * 1e6:
                break
            k = max(k * 2, int(k * min_ms * 1e6 / max(dt, 1) * 1.2))
    out = []
    for _ in range(reps):
        t0 = now()
        for _ in range(k):
            fn()
        out.append((now() - t0) / k)
    return out


def report(name, flop, ts):
    g = sorted(flop / x for x in ts)
    us = sorted(x / 1e3 for x in ts)
    print(f"{name} {statistics.median(g):.4g} GFLOP/s")
    print(f"# {name} min={g[0]:.4g} max={g[-1]:.4g} n={len(g)}")
    print(f"{name}.time {statistics.median(us):.4g} us")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--min-ms", type=float, default=50.0)
    ap.add_argument("--shapes", default=DEFAULT)
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    a = ap.parse_args()
    now = time.thread_time_ns if a.clock == "cpu" else time.perf_counter_ns
    tag = ".cpu" if a.clock == "cpu" else ""
    print(f"# torch {torch.__version__}")
    torch.manual_seed(0)
    for t in [int(v) for v in a.threads.split(",")]:
        torch.set_num_threads(t)
        for shape in a.shapes.split(","):
            if shape.startswith("sq"):
                n = int(shape[2:])
                A, B, C = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
                report(f"mm_out.n{n}.t{t}{tag}", 2.0 * n ** 3,
                       measure(lambda: torch.mm(A, B, out=C), a.reps, a.min_ms, now))
                continue
            dims, _, tr = shape.partition(":")
            m, k, n = (int(v) for v in dims.split("x"))
            A = torch.randn(k, m).t() if tr == "tA" else torch.randn(m, k)
            B = torch.randn(n, k).t() if tr == "tB" else torch.randn(k, n)
            name = f"mm_shape.{shape.replace(':', '_')}.t{t}{tag}"
            report(name, 2.0 * m * n * k, measure(lambda: torch.mm(A, B), a.reps, a.min_ms, now))


if __name__ == "__main__":
    main()
