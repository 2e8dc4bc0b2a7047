"""Golden values for forward-mode AD from real PyTorch 1.13: torch.autograd.forward_ad tangents of a
set of ops (dual inputs with random tangents), functional.jacobian(strategy="forward-mode",
vectorize=True) and functional.hessian(outer_jacobian_strategy="forward-mode", vectorize=True).

    /usr/bin/python3 scripts/golden/forward_ad.py > autograd-core/src/test/resources/golden/forward_ad.json

ForwardGoldenTest maps each case name to the same function written with this library's API.
"""
import json

import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as NF
from torch.autograd import functional as F

torch.manual_seed(13)
DT = torch.float64


def enc(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def randn(*s):
    return torch.randn(*s, dtype=DT)


def positive(*s):
    return torch.rand(*s, dtype=DT) * 1.5 + 0.5


def distinct(*s):
    n = 1
    for d in s:
        n *= d
    return (torch.randperm(n).to(DT) * 0.1 - n * 0.05).reshape(*s)


def view_write(x, y):
    b = x.clone()
    b[1] = y * 2          # in-place copy into a view of a tensor that has a tangent
    b[:, 0].mul_(y[0])   # in-place on a strided view
    return b


IDX = torch.tensor([2, 0, 1, 2])
GATHER_IDX = torch.tensor([[0, 2], [1, 1], [2, 0]])

# name: (function of a list of inputs, input makers)
OPS = {
    "sin": (lambda a: a[0].sin(), [lambda: randn(3, 4)]),
    "exp_log": (lambda a: a[0].exp() + a[1].log(), [lambda: randn(3, 4), lambda: positive(3, 4)]),
    "tanh_sigmoid": (lambda a: a[0].tanh() * a[0].sigmoid(), [lambda: randn(5)]),
    "relu_gelu": (lambda a: torch.relu(a[0]) + NF.gelu(a[0]), [lambda: randn(6)]),
    "softplus_silu_erf": (lambda a: NF.softplus(a[0]) + NF.silu(a[0]) + torch.erf(a[0]), [lambda: randn(6)]),
    "pow_scalar_rsqrt": (lambda a: a[0].pow(3) + a[0].rsqrt(), [lambda: positive(4)]),
    "mul_div_broadcast": (lambda a: a[0] * a[1] / (a[1] + 2), [lambda: randn(3, 4), lambda: positive(4)]),
    "sub_neg": (lambda a: a[0] - a[1].neg() * 3, [lambda: randn(2, 3), lambda: randn(2, 1)]),
    "pow_tensor": (lambda a: a[0].pow(a[1]), [lambda: positive(3), lambda: randn(3)]),
    "atan2": (lambda a: torch.atan2(a[0], a[1]), [lambda: randn(4), lambda: randn(4)]),
    "maximum_minimum": (lambda a: torch.maximum(a[0], a[1]) + torch.minimum(a[0], a[1]) * 2, [lambda: randn(5), lambda: randn(5)]),
    "clamp": (lambda a: a[0].clamp(-0.5, 0.5), [lambda: randn(8)]),
    "where": (lambda a: torch.where(a[0] > 0, a[0], a[1]), [lambda: randn(6), lambda: randn(6)]),
    "sum_mean_dims": (lambda a: a[0].sum(1) + a[0].mean(1), [lambda: randn(3, 4)]),
    "var_std": (lambda a: a[0].var(1) + a[0].std(0).sum(), [lambda: randn(3, 4)]),
    "norm": (lambda a: torch.linalg.vector_norm(a[0], 3.0, dim=1), [lambda: randn(3, 4)]),
    "prod": (lambda a: a[0].prod(1), [lambda: randn(3, 4)]),
    "logsumexp": (lambda a: a[0].logsumexp(1), [lambda: randn(3, 4)]),
    "amax_max_dim": (lambda a: a[0].amax(1) + a[0].max(0)[0].sum(), [lambda: distinct(3, 4)]),
    "sort_topk": (lambda a: a[0].sort(1)[0] * 2 + a[0].topk(4, 1)[0], [lambda: distinct(3, 4)]),
    "softmax_log_softmax": (lambda a: a[0].softmax(1) + a[0].log_softmax(0), [lambda: randn(3, 4)]),
    "cumsum": (lambda a: a[0].cumsum(1) * a[0], [lambda: randn(3, 4)]),
    "mm_matmul": (lambda a: a[0].mm(a[1]) + (a[0] @ a[1]).t().t(), [lambda: randn(3, 4), lambda: randn(4, 2)]),
    "bmm": (lambda a: a[0].bmm(a[1]), [lambda: randn(2, 3, 4), lambda: randn(2, 4, 2)]),
    "linear": (lambda a: NF.linear(a[0], a[1], a[2]), [lambda: randn(5, 3), lambda: randn(4, 3), lambda: randn(4)]),
    "views": (lambda a: a[0].t().reshape(12)[2:10:3] + a[0].permute(1, 0)[1].sum() + a[0].unsqueeze(0).expand(2, 3, 4).sum(0)[0, 1],
              [lambda: randn(3, 4)]),
    "cat_stack_flip_repeat": (lambda a: torch.cat([a[0], a[1]], 0).flip(0).repeat(2, 1) + torch.stack([a[0], a[1]]).sum(0).repeat(4, 1),
                              [lambda: randn(2, 3), lambda: randn(2, 3)]),
    "gather_index_select": (lambda a: a[0].gather(1, GATHER_IDX).sum(1) + a[0].index_select(1, IDX).sum(1), [lambda: randn(3, 3)]),
    "index_add_scatter_add": (lambda a: a[0].index_add(0, torch.tensor([1, 0]), a[1]) + a[0].scatter_add(1, torch.tensor([[0, 1], [2, 2], [1, 0]]), a[1].repeat(2, 1)[:3, :2]),
                              [lambda: randn(3, 3), lambda: randn(2, 3)]),
    "conv2d": (lambda a: NF.conv2d(a[0], a[1], a[2], padding=1), [lambda: randn(1, 2, 4, 4), lambda: randn(3, 2, 3, 3), lambda: randn(3)]),
    "pools": (lambda a: NF.max_pool2d(a[0], 2) + NF.avg_pool2d(a[0], 2), [lambda: randn(1, 2, 4, 4)]),
    "embedding": (lambda a: NF.embedding(torch.tensor([[1, 3], [0, 1]]), a[0]), [lambda: randn(4, 3)]),
    "in_place_on_views": (lambda a: view_write(a[0], a[1]), [lambda: randn(3, 3), lambda: randn(3)]),
}

JAC_FUNCTIONS = {
    "rows_cubed": (lambda x: x.pow(3).sum(dim=1), [lambda: randn(2, 3)]),
    "two_in_two_out": (lambda x, y: (x * y.exp(), x.sum() * y), [lambda: randn(3), lambda: randn(3)]),
    "matvec_tanh": (lambda x, y: torch.tanh(x @ y), [lambda: randn(2, 3), lambda: randn(3)]),
}
HESSIAN_FUNCTIONS = {
    "x2_sin_sum": (lambda x: (x.pow(2) * x.sin()).sum(), [lambda: randn(4)]),
    "matvec_tanh_sum": (lambda x, y: torch.tanh(x @ y).sum(), [lambda: randn(2, 3), lambda: randn(3)]),
}


def tup(x):
    return x if isinstance(x, tuple) else (x,)


ops = []
for name, (f, makers) in OPS.items():
    ins = [m() for m in makers]
    tangents = [randn(*i.shape) for i in ins]
    with fwAD.dual_level():
        out = f([fwAD.make_dual(i, t) for i, t in zip(ins, tangents)])
        primal, tangent = fwAD.unpack_dual(out)
    ops.append({"name": name, "inputs": [enc(i) for i in ins], "tangents": [enc(t) for t in tangents],
                "output": enc(primal), "tangent": enc(tangent)})

jacobians = []
for name, (f, makers) in JAC_FUNCTIONS.items():
    ins = tuple(m() for m in makers)
    outs = tup(f(*ins))
    jac = F.jacobian(f, ins, vectorize=True, strategy="forward-mode")
    jac = [list(row) for row in (jac if len(outs) > 1 else (jac,))]
    jacobians.append({"name": name, "inputs": [enc(i) for i in ins], "jacobian": [[enc(t) for t in row] for row in jac]})

hessians = []
for name, (f, makers) in HESSIAN_FUNCTIONS.items():
    ins = tuple(m() for m in makers)
    hes = F.hessian(f, ins, vectorize=True, outer_jacobian_strategy="forward-mode")
    hessians.append({"name": name, "inputs": [enc(i) for i in ins], "hessian": [[enc(t) for t in row] for row in hes]})


def message(fn):
    try:
        fn()
    except Exception as e:  # the text this library's errors quote
        return str(e)
    raise AssertionError("no error")


def nested():
    with fwAD.dual_level():
        with fwAD.dual_level():
            pass


def with_level(fn):
    def run():
        with fwAD.dual_level():
            fn()
    return run


errors = {
    "outside_level": message(lambda: fwAD.make_dual(torch.ones(2), torch.ones(2))),
    "nested": message(nested),
    "size": message(with_level(lambda: fwAD.make_dual(torch.ones(3), torch.ones(2)))),
    "int_tangent": message(with_level(lambda: fwAD.make_dual(torch.ones(2), torch.ones(2, dtype=torch.long)))),
    "int_primal": message(with_level(lambda: fwAD.make_dual(torch.ones(2, dtype=torch.long), torch.ones(2)))),
    "jacobian_forward_create_graph": message(lambda: F.jacobian(torch.sin, torch.ones(2), create_graph=True, vectorize=True, strategy="forward-mode")),
    "jacobian_forward_strict": message(lambda: F.jacobian(torch.sin, torch.ones(2), strict=True, vectorize=True, strategy="forward-mode")),
    "jacobian_forward_loop": message(lambda: F.jacobian(torch.sin, torch.ones(2), strategy="forward-mode")),
    # PyTorch 1.13 has no forward-mode rule for logcumsumexp (this library has one, checked against finite differences)
    "logcumsumexp": message(with_level(lambda: fwAD.make_dual(torch.ones(2), torch.ones(2)).logcumsumexp(0))),
}

print(json.dumps({"torch": torch.__version__, "ops": ops, "jacobians": jacobians, "hessians": hessians, "errors": errors}, indent=1))
