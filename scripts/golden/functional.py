"""Golden values for torch.autograd.functional (vjp, jvp, jacobian, hessian, vhp, hvp) from real PyTorch.

    /usr/bin/python3 scripts/golden/functional.py > autograd-core/src/test/resources/golden/functional.json
"""
import json

import torch
from torch.autograd import functional as F

torch.manual_seed(11)
DT = torch.float64


def enc(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def tup(x):
    return x if isinstance(x, tuple) else (x,)


FUNCTIONS = {
    "cube_rows": lambda x: x.pow(3).sum(dim=1),
    "two_in_two_out": lambda x, y: (x * y.exp(), x.sum() * y),
    "matvec_tanh": lambda x, y: torch.tanh(x @ y),
}
SCALAR_FUNCTIONS = {
    "x2_sin_sum": lambda x: (x.pow(2) * x.sin()).sum(),
    "matvec_tanh_sum": lambda x, y: torch.tanh(x @ y).sum(),
}
INPUTS = {
    "cube_rows": [torch.randn(2, 3, dtype=DT)],
    "two_in_two_out": [torch.randn(3, dtype=DT), torch.randn(3, dtype=DT)],
    "matvec_tanh": [torch.randn(2, 3, dtype=DT), torch.randn(3, dtype=DT)],
    "x2_sin_sum": [torch.randn(4, dtype=DT)],
    "matvec_tanh_sum": [torch.randn(2, 3, dtype=DT), torch.randn(3, dtype=DT)],
}

cases = []
for name, f in FUNCTIONS.items():
    ins = tuple(INPUTS[name])
    outs = tup(f(*ins))
    v_out = tuple(torch.randn(o.shape, dtype=DT) for o in outs)
    v_in = tuple(torch.randn(i.shape, dtype=DT) for i in ins)
    _, vjp = F.vjp(f, ins, v_out if len(outs) > 1 else v_out[0])
    _, jvp = F.jvp(f, ins, v_in)
    jac = F.jacobian(f, ins)  # tuple inputs: a tuple per output (or one tuple for a single output)
    jac = [list(row) for row in (jac if len(outs) > 1 else (jac,))]
    cases.append({"name": name, "kind": "first", "inputs": [enc(i) for i in ins], "outputs": [enc(o) for o in outs],
                  "v_out": [enc(v) for v in v_out], "v_in": [enc(v) for v in v_in],
                  "vjp": [enc(t) for t in tup(vjp)], "jvp": [enc(t) for t in tup(jvp)],
                  "jacobian": [[enc(t) for t in row] for row in jac]})
for name, f in SCALAR_FUNCTIONS.items():
    ins = tuple(INPUTS[name])
    v_in = tuple(torch.randn(i.shape, dtype=DT) for i in ins)
    out = f(*ins)
    _, vhp = F.vhp(f, ins, v_in)
    _, hvp = F.hvp(f, ins, v_in)
    hes = F.hessian(f, ins)  # tuple inputs: a tuple of tuples
    hes = [list(row) for row in hes]
    cases.append({"name": name, "kind": "second", "inputs": [enc(i) for i in ins], "outputs": [enc(out)],
                  "v_in": [enc(v) for v in v_in], "vhp": [enc(t) for t in tup(vhp)], "hvp": [enc(t) for t in tup(hvp)],
                  "hessian": [[enc(t) for t in row] for row in hes]})
print(json.dumps({"cases": cases}))
