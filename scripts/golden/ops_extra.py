"""Golden values for ops added after ../shared/golden/ops.json, in its format, from real PyTorch.

Run with Debian's PyTorch (../shared/bench/README.md says how to install it):
    /usr/bin/python3 scripts/golden/ops_extra.py > autograd-core/src/test/resources/golden/ops-extra.json
"""
import json

import torch

torch.manual_seed(7)
DT = torch.float64


def enc(t):
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def case(name, op, args, inputs, fn, second_order=True):
    leaves = [t.clone().requires_grad_(t.is_floating_point()) for t in inputs]
    out = fn(*leaves)
    upstream = torch.randn(out.shape, dtype=DT)
    floats = [t for t in leaves if t.requires_grad]
    grads = torch.autograd.grad((out * upstream).sum(), floats, create_graph=True)
    c = {"name": name, "op": op, "args": args, "inputs": [enc(t) for t in inputs], "output": enc(out),
         "upstream": enc(upstream), "grads": [enc(g) for g in grads]}
    if second_order:
        vectors = [torch.randn(g.shape, dtype=DT) for g in grads]
        hvp = torch.autograd.grad(sum((g * v).sum() for g, v in zip(grads, vectors)), floats)
        c["second_order"] = {"vectors": [enc(v) for v in vectors], "grads": [enc(h) for h in hvp]}
    return c


cases = [
    case("atan2", "atan2", {}, [torch.randn(3, 4, dtype=DT), torch.randn(3, 4, dtype=DT)], torch.atan2),
    case("atan2_broadcast", "atan2", {}, [torch.randn(2, 3, 1, dtype=DT), torch.randn(4, dtype=DT)], torch.atan2),
    case("logcumsumexp", "logcumsumexp", {"dim": 1}, [torch.randn(3, 5, dtype=DT)],
         lambda x: torch.logcumsumexp(x, 1), second_order=False),
    case("logcumsumexp_dim0_large", "logcumsumexp", {"dim": 0}, [torch.randn(6, 2, dtype=DT) * 40],
         lambda x: torch.logcumsumexp(x, 0), second_order=False),
]
print(json.dumps({"cases": cases}))
