"""Golden values and messages for custom functions, module hooks, saved-tensor hooks, anomaly
mode, backward(inputs=...), Autograd.grad checks and gradcheck, from real PyTorch 1.13. Cases
follow test/test_autograd.py (test_function_returns_input, test_mark_non_differentiable,
test_materialize_grads, test_once_differentiable, test_custom_function_error, test_invalid_gradients,
test_saved_tensors_hooks*, test_backward_with_inputs, test_grad_nonleaf, test_gradcheck_*) and
test/nn/test_module_hooks.py.

    /usr/bin/python3 scripts/golden/fnhooks.py | tee autograd-core/src/test/resources/golden/fnhooks.json > autograd-nn/src/test/resources/golden/fnhooks.json
"""
import json
import warnings

import torch
from torch import nn
from torch.autograd import Function
from torch.autograd.function import once_differentiable
from torch.autograd.graph import saved_tensors_hooks

DT = torch.float64
out = {}


def vals(t):
    return None if t is None else t.detach().reshape(-1).tolist()


def error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the message is the golden value
        return str(e)
    return None


X = [0.5, -1.5, 2.0]
W = [1.5, 0.25, -2.0]


def leaf(v=X):
    return torch.tensor(v, dtype=DT, requires_grad=True)


# --- custom functions ---
class SquareAndDouble(Function):  # two outputs: (x^2, 2x)
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x, 2 * x

    @staticmethod
    def backward(ctx, g_sq, g_dbl):
        (x,) = ctx.saved_tensors
        return 2 * x * g_sq + 2 * g_dbl


x = leaf()
a, b = SquareAndDouble.apply(x)
(a * torch.tensor(W, dtype=DT) + b).sum().backward()
out["multi_output"] = {"grad": vals(x.grad), "a": vals(a), "b": vals(b), "name": type(a.grad_fn).__name__,
                       "same_node": a.grad_fn is b.grad_fn}
x = leaf()
a, b = SquareAndDouble.apply(x)
a.sum().backward()  # b unused: its gradient is materialized as zeros
out["multi_output_one_used"] = {"grad": vals(x.grad)}


class AddOneInPlace(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g


x = leaf()
h = x * 3
y = AddOneInPlace.apply(h)
(y * y).sum().backward()
out["mark_dirty"] = {"grad": vals(x.grad), "y": vals(y), "same_tensor": y is h, "name": type(h.grad_fn).__name__}
out["mark_dirty_leaf_error"] = error(lambda: AddOneInPlace.apply(leaf()))


class ValuesAndMask(Function):
    @staticmethod
    def forward(ctx, x):
        mask = (x > 0).to(x.dtype)
        ctx.mark_non_differentiable(mask)
        return x * 2, mask

    @staticmethod
    def backward(ctx, g, g_mask):
        return g * 2


class MaskOnly(Function):
    @staticmethod
    def forward(ctx, x):
        out = (x > 0).to(x.dtype)
        ctx.mark_non_differentiable(out)
        return out

    @staticmethod
    def backward(ctx, g):
        return None


x = leaf()
v, m = ValuesAndMask.apply(x)
v.sum().backward()
out["mark_non_differentiable"] = {"grad": vals(x.grad), "v_requires_grad": v.requires_grad,
                                  "m_requires_grad": m.requires_grad, "mask_only_requires_grad": MaskOnly.apply(leaf()).requires_grad}

seen = {}


class NoMaterialize(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x.clone(), x.clone()

    @staticmethod
    def backward(ctx, g1, g2):
        seen["g1_none"] = g1 is None
        seen["g2_none"] = g2 is None
        return g1 if g1 is not None else torch.zeros_like(g2)


x = leaf()
p, q = NoMaterialize.apply(x)
q.sum().backward()
out["set_materialize_grads_false"] = dict(seen, grad=vals(x.grad))


class OnceCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x * x * g


x = leaf()
(gx,) = torch.autograd.grad(OnceCube.apply(x).sum(), x, create_graph=True)
out["once_differentiable"] = {"grad": vals(gx), "grad_requires_grad": gx.requires_grad,
                              "error": error(lambda: gx.sum().backward())}
x = leaf()
v = leaf(W)  # a grad_output that requires grad: the result gets a node that refuses double backward
(gx,) = torch.autograd.grad(OnceCube.apply(x), x, grad_outputs=v, create_graph=True)
out["once_differentiable_delayed"] = {"grad": vals(gx), "name": type(gx.grad_fn).__name__,
                                      "error": error(lambda: gx.sum().backward())}

needs = {}


class Needs(Function):
    @staticmethod
    def forward(ctx, x, w):
        needs["forward"] = list(ctx.needs_input_grad)
        return x * w

    @staticmethod
    def backward(ctx, g):
        return g * 2, None


Needs.apply(leaf(), torch.tensor(W, dtype=DT)).sum().backward()
out["needs_input_grad_forward"] = needs["forward"]


class TrailingNones(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2, None, None


class TooMany(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2, g


class WrongShape(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return torch.ones(2, 2, dtype=DT)


x = leaf()
TrailingNones.apply(x).sum().backward()
out["trailing_nones"] = {"grad": vals(x.grad), "too_many_error": error(lambda: TooMany.apply(leaf()).sum().backward()),
                         "wrong_shape_error": error(lambda: WrongShape.apply(leaf()).sum().backward())}

# --- module hooks ---
def linear():
    m = nn.Linear(3, 2).double()
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], dtype=DT))
        m.bias.copy_(torch.tensor([0.1, -0.2], dtype=DT))
    return m


m = linear()
calls = []
h1 = m.register_forward_pre_hook(lambda mod, inp: (inp[0] * 2,))
h2 = m.register_forward_hook(lambda mod, inp, o: o + 1)
xin = leaf()
y = m(xin)
y.sum().backward()
h1.remove()
h2.remove()
out["forward_hooks"] = {"y": vals(y), "x_grad": vals(xin.grad), "after_remove": vals(m(leaf()))}

m = linear()
recorded = {}


def bw_hook(mod, grad_input, grad_output):
    recorded["grad_input"] = [vals(g) for g in grad_input]
    recorded["grad_output"] = [vals(g) for g in grad_output]
    return (grad_input[0] * 10,)


m.register_full_backward_hook(bw_hook)
xin = leaf()
y = m(xin)
(y * torch.tensor([1.0, -3.0], dtype=DT)).sum().backward()
out["full_backward_hook"] = dict(recorded, x_grad=vals(xin.grad), weight_grad=vals(m.weight.grad),
                                 grad_fn=type(y.grad_fn).__name__)
m = linear()
recorded.clear()
m.register_full_backward_hook(lambda mod, gi, go: recorded.update(gi=[vals(g) for g in gi], go=[vals(g) for g in go]))
m(torch.tensor(X, dtype=DT)).sum().backward()
out["full_backward_hook_input_no_grad"] = {"grad_input": recorded["gi"], "grad_output": recorded["go"]}

# --- saved tensor hooks ---
counts = {"pack": 0, "unpack": 0}


def pack(t):
    counts["pack"] += 1
    return t * 2  # "compressed": stored doubled


def unpack(t):
    counts["unpack"] += 1
    return t / 2


x = leaf()
with saved_tensors_hooks(pack, unpack):
    y = (x * x).sum()
y.backward()
out["saved_hooks_mul"] = dict(counts, grad=vals(x.grad))

counts.update(pack=0, unpack=0)
x = leaf()
with saved_tensors_hooks(lambda t: (counts.__setitem__("pack", counts["pack"] + 1), t * 2)[1], lambda t: t):
    y = (x ** 3).sum()  # pow saves x: packed doubled, so grad sees 2x
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    g.sum().backward()
out["saved_hooks_double_backward"] = {"g": vals(g), "x_grad": vals(x.grad), "pack": counts["pack"]}

# --- anomaly mode ---
x = torch.tensor([0.0, 1.0], dtype=DT, requires_grad=True)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        msg = error(lambda: (x / x).sum().backward())
out["anomaly_nan"] = {"error": msg, "warning_head": str(w[-1].message).split("\n")[0] if w else None}
x = torch.tensor([0.0, 1.0], dtype=DT, requires_grad=True)
with torch.autograd.detect_anomaly(check_nan=False):
    (x / x).sum().backward()
out["anomaly_check_nan_false"] = {"grad": [str(v) for v in x.grad.tolist()]}

# --- backward(inputs=...) and grad checks ---
x, w = leaf(), leaf(W)
hx = x * 2
y = (hx * w + w).sum()
y.backward(inputs=[x], retain_graph=True)
out["backward_inputs_leaf"] = {"x_grad": vals(x.grad), "w_grad": vals(w.grad)}
y.backward(inputs=[hx, w])
out["backward_inputs_nonleaf"] = {"x_grad": vals(x.grad), "h_grad": vals(hx.grad), "w_grad": vals(w.grad)}
out["backward_inputs_empty"] = error(lambda: (leaf() * 2).sum().backward(inputs=[]))
out["backward_inputs_no_grad"] = error(lambda: (leaf() * 2).sum().backward(inputs=[torch.ones(3, dtype=DT)]))
u = leaf()
(leaf() * 2).sum().backward(inputs=[u])
out["backward_inputs_unreachable"] = {"grad_is_none": u.grad is None}
out["grad_empty_inputs"] = error(lambda: torch.autograd.grad((leaf() * 2).sum(), []))
out["grad_input_no_grad"] = error(lambda: torch.autograd.grad((leaf() * 2).sum(), [torch.ones(3, dtype=DT)]))
out["grad_unused"] = error(lambda: torch.autograd.grad((leaf() * 2).sum(), [leaf()]))
out["grad_unused_allowed_is_none"] = torch.autograd.grad((leaf() * 2).sum(), [leaf(), x], allow_unused=True)[0] is None

# --- gradcheck ---
out["gradcheck_none_requires_grad"] = error(lambda: torch.autograd.gradcheck(lambda t: t * 2, (torch.ones(3, dtype=DT),)))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    ok = torch.autograd.gradcheck(lambda t: t * 2, (torch.ones(3, requires_grad=True),), eps=1e-3, atol=1e-2)
out["gradcheck_float32"] = {"passed": ok, "warning": str(w[0].message)}
out["gradcheck_expanded"] = error(lambda: torch.autograd.gradcheck(lambda t: t * 2, (leaf([1.0]).expand(3),)))


class Noisy(Function):
    calls = 0

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        Noisy.calls += 1
        return g * (2 + (1e-9 if Noisy.calls % 2 else 0))


out["gradcheck_nondet"] = error(lambda: torch.autograd.gradcheck(Noisy.apply, (leaf(),)))
out["gradcheck_nondet_tol_passes"] = torch.autograd.gradcheck(Noisy.apply, (leaf(),), nondet_tol=1e-6)
out["gradgradcheck_passes"] = torch.autograd.gradgradcheck(lambda t: (t ** 3).sin(), (leaf(),))
out["torch_version"] = torch.__version__
print(json.dumps(out, indent=1))
