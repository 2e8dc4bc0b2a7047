# Seed 003 as a whole process (the peer of SeedProgram two_layer_net): 500 steps, manual SGD.
import sys, time
import torch
torch.manual_seed(0)
blocks = "--blocks" in sys.argv
x, y = torch.randn(64, 1000), torch.randn(64, 10)
w1 = torch.randn(1000, 100, requires_grad=True)
w2 = torch.randn(100, 10, requires_grad=True)
t0 = time.perf_counter()
for t in range(500):
    loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
    if t % 100 == 99:
        print(t + 1, loss.item())
        if blocks:
            t1 = time.perf_counter()
            print(f"# block {t - 98}-{t + 1} {(t1 - t0) * 1e3 / 100:.3f} ms/step")
            t0 = t1
    loss.backward()
    with torch.no_grad():
        w1 -= 1e-6 * w1.grad
        w2 -= 1e-6 * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
