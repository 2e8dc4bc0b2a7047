"""Edge-value golden cases from real PyTorch 1.13: zeros (and -0), negative values, +-inf, NaN,
ties and empty tensors, for every op with a derivative; outputs AND gradients, in float64 and
in float32 (each case is computed by PyTorch in the dtype it names).

Format: ../shared/golden/ops.json's, plus "dtype" per case; non-finite numbers are the strings
"NaN", "Infinity", "-Infinity" (JSON has no such numbers; Java's Double.parseDouble reads them).
The upstream gradient is 1, 2, 3, ... (distinct, so a gradient sent to the wrong element shows).
Run with Debian's PyTorch:
    /usr/bin/python3 scripts/golden/edge_values.py > autograd-core/src/test/resources/golden/edge-values.json
"""
import json
import math

import torch
import torch.nn.functional as F

INF, NAN = math.inf, math.nan
# zeros of both signs, negative values, +-inf, NaN, values where exp/sigmoid saturate
V = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 100.0, -100.0, INF, -INF, NAN]
# the same for binary grids (7 x 7 via broadcasting)
G = [0.0, -0.0, 1.0, -2.0, INF, -INF, NAN]


def num(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def enc(t):
    data = t.detach().reshape(-1).tolist()
    if t.is_floating_point():
        data = [num(v) for v in data]
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": data}


cases = []


def case(name, op, args, inputs, fn, dtypes=(torch.float64, torch.float32)):
    for dt in dtypes:
        ins = [t.to(dt) if t.is_floating_point() else t for t in inputs]
        leaves = [t.clone().requires_grad_(t.is_floating_point()) for t in ins]
        out = fn(*leaves)
        upstream = torch.arange(1, out.numel() + 1, dtype=dt).reshape(out.shape)
        floats = [t for t in leaves if t.requires_grad]
        grads = torch.autograd.grad((out * upstream).sum(), floats, allow_unused=True)
        grads = [torch.zeros_like(f) if g is None else g for f, g in zip(floats, grads)]
        suffix = "" if dt == torch.float64 else "_f32"
        cases.append({"name": name + suffix, "op": op, "dtype": str(dt).replace("torch.", ""),
                      "args": {k: num(v) if isinstance(v, float) else v for k, v in args.items()},
                      "inputs": [enc(t) for t in ins], "output": enc(out), "upstream": enc(upstream),
                      "grads": [enc(g) for g in grads]})


def t(*v, shape=None):
    x = torch.tensor(v, dtype=torch.float64)
    return x.reshape(shape) if shape else x


def L(*v, shape=None):
    x = torch.tensor(v, dtype=torch.long)
    return x.reshape(shape) if shape else x


def empty(*shape):
    return torch.zeros(*shape, dtype=torch.float64)


vec = t(*V)
rows, cols = t(*G).reshape(7, 1), t(*G)
halves = t(0.5, 1.5, 2.5, -0.5, -1.5, 0.49999997, -2.5, 1.0)

# --- element-wise unary: every edge value, and an empty tensor ---
UNARY = {"neg": torch.neg, "exp": torch.exp, "log": torch.log, "log1p": torch.log1p, "expm1": torch.expm1,
         "sqrt": torch.sqrt, "rsqrt": torch.rsqrt, "abs": torch.abs, "sin": torch.sin, "cos": torch.cos,
         "tan": torch.tan, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
         "reciprocal": torch.reciprocal, "square": torch.square, "softplus": F.softplus, "erf": torch.erf,
         "gelu": F.gelu, "silu": F.silu, "sign": torch.sign, "floor": torch.floor, "ceil": torch.ceil,
         "round": torch.round}
for name, fn in UNARY.items():
    case(name + "_edges", name, {}, [vec], fn)
    case(name + "_empty", name, {}, [empty(0, 3)], fn, dtypes=(torch.float64,))
case("round_halves_to_even", "round", {}, [halves], torch.round)
case("leaky_relu_edges", "leaky_relu", {"negative_slope": 0.1}, [vec], lambda x: F.leaky_relu(x, 0.1))
for p in [0.0, 1.0, 2.0, 3.0, 0.5, -1.0, -0.5, 2.5, -2.0]:
    case("pow_scalar_%s_edges" % p, "pow_scalar", {"exponent": p}, [vec], lambda x, p=p: torch.pow(x, p))
case("clamp_ties_edges", "clamp", {"min": -1.0, "max": 1.0}, [vec], lambda x: torch.clamp(x, -1.0, 1.0))
case("clamp_min_ties_edges", "clamp", {"min": 0.0}, [vec], lambda x: torch.clamp(x, min=0.0))
case("clamp_max_ties_edges", "clamp", {"max": 1.0}, [vec], lambda x: torch.clamp(x, max=1.0))
case("clamp_inverted_bounds", "clamp", {"min": 1.0, "max": -1.0}, [vec], lambda x: torch.clamp(x, 1.0, -1.0))
# 36 elements: long enough for the Vector API kernels' vector loop, not only their scalar tail
case("clamp_edges_vector_loop", "clamp", {"min": -1.0, "max": 1.0}, [vec.repeat(3)], lambda x: torch.clamp(x, -1.0, 1.0))
case("clamp_inverted_bounds_vector_loop", "clamp", {"min": 1.0, "max": -1.0}, [vec.repeat(3)], lambda x: torch.clamp(x, 1.0, -1.0))
case("relu_edges_vector_loop", "relu", {}, [vec.repeat(3)], torch.relu)
case("exp_edges_vector_loop", "exp", {}, [vec.repeat(3)], torch.exp)
case("tanh_edges_vector_loop", "tanh", {}, [vec.repeat(3)], torch.tanh)
case("sigmoid_edges_vector_loop", "sigmoid", {}, [vec.repeat(3)], torch.sigmoid)
case("mul_edges_vector_loop", "mul", {}, [vec.repeat(3), vec.flip(0).repeat(3)], torch.mul)
case("maximum_edges_vector_loop", "maximum", {}, [vec.repeat(3), vec.flip(0).repeat(3)], torch.maximum)

# --- binary: the 7 x 7 grid of edge values (ties on the diagonal) ---
BINARY = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
          "atan2": torch.atan2, "maximum": torch.maximum, "minimum": torch.minimum}
for name, fn in BINARY.items():
    case(name + "_grid", name, {}, [rows, cols], fn)
    case(name + "_empty", name, {}, [empty(0, 1), t(1.0, 2.0)], fn, dtypes=(torch.float64,))
case("pow_negative_bases", "pow", {}, [t(-2.0, -0.5, -1.0, -3.0), t(2.0, 3.0, 0.5, -1.5)], torch.pow)
cond = torch.tensor([True, False, True, False, True, False, True, False, True, False, True, False])
case("where_edges", "where", {}, [cond, vec, vec.flip(0)], torch.where)
case("masked_fill_edges", "masked_fill", {"value": NAN}, [vec, cond], lambda x, m: x.masked_fill(m, NAN))

# --- reductions ---
nan_row = t(1.0, NAN, 3.0, NAN, shape=(1, 4))
inf_rows = t(INF, 1.0, -INF, 2.0, INF, -INF, shape=(2, 3))
ties = t(3.0, 1.0, 3.0, -2.0, -2.0, 0.0, 5.0, 5.0, 5.0, shape=(3, 3))
zeros_ties = t(0.0, -0.0, 0.0, shape=(3,))
for name, args, fn in [("sum", {}, torch.sum), ("mean", {}, torch.mean),
                       ("sum", {"dim": 1}, lambda x: x.sum(1)), ("mean", {"dim": 0}, lambda x: x.mean(0))]:
    tag = "_dim" if args else ""
    case(name + tag + "_inf", name, args, [inf_rows], fn)
    case(name + tag + "_empty", name, args, [empty(0, 3)], fn, dtypes=(torch.float64,))
case("sum_nan", "sum", {}, [nan_row], torch.sum)
for name in ["max", "min"]:
    f = getattr(torch, name)
    case(name + "_ties", name, {}, [ties], f)
    case(name + "_nan", name, {}, [nan_row], f)
    case(name + "_inf", name, {}, [inf_rows], f)
    case(name + "_signed_zeros", name, {}, [zeros_ties], f)
    case(name + "_dim_ties", name, {"dim": 1}, [ties], lambda x, f=f: f(x, 1)[0])
    case(name + "_dim_nan", name, {"dim": 1}, [nan_row], lambda x, f=f: f(x, 1)[0])
    case(name + "_dim_inf", name, {"dim": 0, "keepdim": True}, [inf_rows], lambda x, f=f: f(x, 0, True)[0])
    case(name + "_dim_over_empty_rows", name, {"dim": 1}, [empty(0, 3)], lambda x, f=f: f(x, 1)[0], dtypes=(torch.float64,))
for name in ["amax", "amin"]:
    f = getattr(torch, name)
    case(name + "_ties", name, {"dims": [1]}, [ties], lambda x, f=f: f(x, [1]))
    case(name + "_nan", name, {"dims": [1]}, [nan_row], lambda x, f=f: f(x, [1]))
    case(name + "_inf_all", name, {"dims": [0, 1]}, [inf_rows], lambda x, f=f: f(x, [0, 1]))
case("logsumexp_inf", "logsumexp", {"dim": 1}, [inf_rows], lambda x: torch.logsumexp(x, 1))
case("logsumexp_all_minus_inf", "logsumexp", {"dim": 1}, [t(-INF, -INF, 1.0, 2.0, shape=(2, 2))], lambda x: torch.logsumexp(x, 1))
case("logsumexp_nan", "logsumexp", {"dim": 1}, [nan_row], lambda x: torch.logsumexp(x, 1))
case("logsumexp_empty_dim", "logsumexp", {"dim": 1}, [empty(2, 0)], lambda x: torch.logsumexp(x, 1), dtypes=(torch.float64,))
for unbiased in [True, False]:
    case("var_constant_%s" % unbiased, "var", {"dim": 1, "unbiased": unbiased}, [t(2.0, 2.0, 2.0, 1.0, 1.0, 1.0, shape=(2, 3))],
         lambda x, u=unbiased: x.var(1, unbiased=u))
    case("std_constant_%s" % unbiased, "std", {"dim": 1, "unbiased": unbiased}, [t(2.0, 2.0, 2.0, 1.0, 1.0, 1.0, shape=(2, 3))],
         lambda x, u=unbiased: x.std(1, unbiased=u))
case("var_single_element", "var", {"dim": 1}, [t(3.0, -1.0, shape=(2, 1))], lambda x: x.var(1))
case("std_single_element", "std", {"dim": 1}, [t(3.0, -1.0, shape=(2, 1))], lambda x: x.std(1))
case("var_inf", "var", {}, [inf_rows], lambda x: x.var())
case("std_nan", "std", {}, [nan_row], lambda x: x.std())
for p in [2.0, 1.0, 3.0, INF]:  # p < 1 is refused here (an argument error, not an edge value)
    case("norm_%s_zeros" % p, "norm", {"p": p}, [t(0.0, -0.0, 0.0)], lambda x, p=p: torch.linalg.vector_norm(x, p))
    case("norm_%s_ties_and_zero" % p, "norm", {"p": p, "dim": 1}, [t(0.0, 3.0, -3.0, 0.0, 0.0, 0.0, shape=(2, 3))],
         lambda x, p=p: torch.linalg.vector_norm(x, p, dim=1))
    case("norm_%s_inf" % p, "norm", {"p": p}, [t(1.0, -INF, 2.0)], lambda x, p=p: torch.linalg.vector_norm(x, p))
case("norm_2_empty", "norm", {"p": 2.0}, [empty(0)], lambda x: torch.linalg.vector_norm(x, 2), dtypes=(torch.float64,))
case("prod_zeros", "prod", {"dim": 1}, [t(0.0, 2.0, 3.0, 0.0, 0.0, 4.0, -0.0, 1.0, -5.0, shape=(3, 3))], lambda x: x.prod(1))
case("prod_all_one_zero", "prod", {}, [t(2.0, 0.0, -3.0, 4.0)], torch.prod)
case("prod_all_two_zeros", "prod", {}, [t(2.0, 0.0, -3.0, 0.0)], torch.prod)
case("prod_inf_nan", "prod", {"dim": 1}, [t(INF, 2.0, 0.0, INF, 1.0, NAN, shape=(3, 2))], lambda x: x.prod(1))
case("prod_empty", "prod", {}, [empty(0)], torch.prod, dtypes=(torch.float64,))
case("cumsum_inf_nan", "cumsum", {"dim": 0}, [t(1.0, INF, -INF, 2.0, NAN, 3.0)], lambda x: x.cumsum(0))
case("logcumsumexp_inf", "logcumsumexp", {"dim": 0}, [t(-INF, 1.0, INF, 2.0, -INF)], lambda x: torch.logcumsumexp(x, 0))
case("logcumsumexp_all_minus_inf", "logcumsumexp", {"dim": 0}, [t(-INF, -INF, 0.0)], lambda x: torch.logcumsumexp(x, 0))
case("cumsum_empty", "cumsum", {"dim": 0}, [empty(0, 2)], lambda x: x.cumsum(0), dtypes=(torch.float64,))

# --- softmax ---
sm = t(INF, 1.0, 2.0, -INF, 0.0, 1.0, -INF, -INF, -INF, NAN, 1.0, 2.0, 1000.0, 1000.0, -1000.0, shape=(5, 3))
case("softmax_edges", "softmax", {"dim": 1}, [sm], lambda x: torch.softmax(x, 1))
case("log_softmax_edges", "log_softmax", {"dim": 1}, [sm], lambda x: torch.log_softmax(x, 1))
case("softmax_empty", "softmax", {"dim": 1}, [empty(0, 3)], lambda x: torch.softmax(x, 1), dtypes=(torch.float64,))

# --- sorting: ties, NaN (sorts as the largest), +-inf ---
srt = t(2.0, NAN, -INF, 2.0, INF, 0.0, -0.0, 1.0, shape=(1, 8))
case("sort_edges", "sort", {"dim": 1}, [srt], lambda x: x.sort(dim=1, stable=True)[0])
case("sort_edges_descending", "sort", {"dim": 1, "descending": True}, [srt], lambda x: x.sort(dim=1, descending=True, stable=True)[0])
# topk: PyTorch leaves the order of equal values unspecified (it is not a stable sort), so no ties here
no_ties = t(2.0, NAN, -INF, 1.5, INF, 0.0, -1.0, 1.0, shape=(1, 8))
case("topk_edges", "topk", {"k": 3, "dim": 1}, [no_ties], lambda x: x.topk(3, 1)[0])
case("topk_edges_smallest", "topk", {"k": 3, "dim": 1, "largest": False}, [no_ties], lambda x: x.topk(3, 1, largest=False)[0])
case("topk_signed_zeros", "topk", {"k": 2, "dim": 0, "largest": False}, [t(1.0, 0.0, -0.0, 2.0)], lambda x: x.topk(2, 0, largest=False)[0])
case("sort_empty", "sort", {"dim": 0}, [empty(0)], lambda x: x.sort(0)[0], dtypes=(torch.float64,))

# --- linear algebra: inf * 0 = NaN, empty inner dims ---
case("mm_inf_nan", "mm", {}, [t(INF, 0.0, 1.0, NAN, shape=(2, 2)), t(0.0, 1.0, 2.0, -INF, shape=(2, 2))], torch.mm)
case("mm_empty_inner", "mm", {}, [empty(2, 0), empty(0, 3)], torch.mm, dtypes=(torch.float64,))
case("mm_empty_rows", "mm", {}, [empty(0, 3), t(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, shape=(3, 2))], torch.mm, dtypes=(torch.float64,))
case("matmul_vec_inf", "matmul", {}, [t(INF, 1.0, 0.0), t(0.0, 2.0, 3.0)], torch.matmul)
case("bmm_nan", "bmm", {}, [t(NAN, 1.0, 2.0, 3.0, shape=(1, 2, 2)), t(1.0, 0.0, 0.0, 1.0, shape=(1, 2, 2))], torch.bmm)

# --- indexing with edge values and repeated indices ---
case("index_select_nan_repeated", "index_select", {"dim": 0}, [vec, L(9, 11, 9, 0)], lambda x, i: x.index_select(0, i))
case("gather_inf_repeated", "gather", {"dim": 1}, [inf_rows, L(0, 0, 2, 1, 1, 1, shape=(2, 3))], lambda x, i: x.gather(1, i))
case("index_add_nan", "index_add", {"dim": 0}, [t(1.0, 2.0, 3.0), L(0, 0), t(NAN, INF)], lambda x, i, s: x.index_add(0, i, s))
case("scatter_add_inf", "scatter_add", {"dim": 0}, [t(1.0, 2.0, 3.0), L(2, 2), t(INF, -INF)], lambda x, i, s: x.scatter_add(0, i, s))
case("index_mask_nan", "index", {"none": []}, [vec, torch.isnan(vec) | (vec > 0)], lambda x, m: x[m])
case("index_put_accumulate_inf", "index_put", {"none": [], "accumulate": True}, [t(1.0, 2.0, 3.0), t(INF, -INF, NAN), L(0, 0, 2)],
     lambda x, v, i: torch.index_put(x, (i,), v, True))
case("index_empty", "index", {"none": []}, [empty(0, 2), L()], lambda x, i: x[i], dtypes=(torch.float64,))

# --- shape ops on empty tensors ---
case("cat_with_empty", "cat", {"dim": 0}, [empty(0, 2), t(1.0, NAN, shape=(1, 2))], lambda a, b: torch.cat([a, b], 0))
case("reshape_empty", "reshape", {"shape": [3, 0]}, [empty(0, 3)], lambda x: x.reshape(3, 0), dtypes=(torch.float64,))
case("transpose_empty", "transpose", {"dim0": 0, "dim1": 1}, [empty(0, 3)], lambda x: x.transpose(0, 1), dtypes=(torch.float64,))
case("flip_edges", "flip", {"dims": [0]}, [vec], lambda x: x.flip(0))
case("clone_edges", "clone", {}, [vec], torch.clone)
case("select_edges", "select", {"dim": 1, "index": -1}, [inf_rows], lambda x: x.select(1, -1))
case("permute_empty", "permute", {"dims": [2, 0, 1]}, [empty(0, 2, 3)], lambda x: x.permute(2, 0, 1), dtypes=(torch.float64,))
case("repeat_nan", "repeat", {"repeats": [2]}, [t(NAN, INF)], lambda x: x.repeat(2))

# --- nn primitives at their edges ---
case("mse_loss_inf", "mse_loss", {"reduction": "mean"}, [t(INF, 1.0, NAN), t(INF, 1.0, 0.0)], F.mse_loss)
case("l1_loss_ties", "l1_loss", {"reduction": "sum"}, [t(1.0, 2.0, -0.0), t(1.0, 3.0, 0.0)], lambda a, b: F.l1_loss(a, b, reduction="sum"))
case("smooth_l1_loss_at_beta", "smooth_l1_loss", {"reduction": "sum", "beta": 1.0}, [t(1.0, -1.0, 0.0, 2.5), t(0.0, 0.0, 0.0, 0.0)],
     lambda a, b: F.smooth_l1_loss(a, b, reduction="sum", beta=1.0))
case("binary_cross_entropy_at_0_and_1", "binary_cross_entropy", {"reduction": "sum"}, [t(0.0, 1.0, 0.5, 1.0), t(0.0, 1.0, 1.0, 0.0)],
     lambda a, b: F.binary_cross_entropy(a, b, reduction="sum"))
case("bce_with_logits_inf", "binary_cross_entropy_with_logits", {"reduction": "sum"}, [t(INF, -INF, 100.0, -100.0), t(1.0, 0.0, 0.0, 1.0)],
     lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction="sum"))
case("cross_entropy_minus_inf_logits", "cross_entropy", {"reduction": "mean"}, [t(-INF, 0.0, 1.0, 2.0, -INF, 0.0, shape=(2, 3)), L(1, 0)],
     lambda a, b: F.cross_entropy(a, b))
case("nll_loss_all_ignored", "nll_loss", {"reduction": "mean"}, [t(-1.0, -2.0, -0.5, -3.0, shape=(2, 2)), L(-100, -100)],
     lambda a, b: F.nll_loss(a, b))
case("layer_norm_constant", "layer_norm", {"normalized_shape": [3]}, [t(2.0, 2.0, 2.0, 1.0, 5.0, 1.0, shape=(2, 3)), t(1.0, 2.0, 3.0), t(0.0, 0.0, 0.0)],
     lambda x, w, b: F.layer_norm(x, [3], w, b))
case("batch_norm_constant", "batch_norm", {"training": True}, [t(2.0, 1.0, 2.0, 5.0, 2.0, 1.0, shape=(3, 2)), t(1.0, 2.0), t(0.0, 0.0)],
     lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True))
case("max_pool2d_ties_nan", "max_pool2d", {"kernel_size": 2}, [t(1.0, 1.0, 0.0, NAN, 1.0, 1.0, 2.0, 2.0, -INF, -INF, 3.0, 3.0, -INF, -INF, 3.0, 3.0, shape=(1, 1, 4, 4))],
     lambda x: F.max_pool2d(x, 2))
case("avg_pool2d_inf", "avg_pool2d", {"kernel_size": 2}, [t(INF, 1.0, 0.0, NAN, 1.0, 1.0, 2.0, 2.0, shape=(1, 1, 2, 4))], lambda x: F.avg_pool2d(x, 2))
case("conv2d_nan", "conv2d", {}, [t(1.0, NAN, 0.0, 2.0, 1.0, 1.0, 0.0, 0.0, 3.0, shape=(1, 1, 3, 3)), t(1.0, 0.0, 0.0, 1.0, shape=(1, 1, 2, 2)), t(0.5)],
     lambda x, w, b: F.conv2d(x, w, b))
case("embedding_inf_repeated", "embedding", {}, [L(1, 1, 0), t(INF, 1.0, NAN, 2.0, shape=(2, 2))], lambda i, w: F.embedding(i, w))
case("linear_inf", "linear", {}, [t(INF, 0.0, shape=(1, 2)), t(0.0, 1.0, 2.0, 3.0, shape=(2, 2)), t(0.0, -INF)], F.linear)

print(json.dumps({"cases": cases}))
