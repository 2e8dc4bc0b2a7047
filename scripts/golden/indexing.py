"""Golden values for advanced indexing (x[i, j], x[mask], index_put) from real PyTorch 1.13.

Same format as ../shared/golden/ops.json. Op "index": inputs [x, index tensors...]; args "none"
lists the positions of the index list that are None (":"). Op "index_put": inputs
[x, values, index tensors...], args "accumulate" and "none".
Run with Debian's PyTorch:
    /usr/bin/python3 scripts/golden/indexing.py > autograd-core/src/test/resources/golden/indexing.json
"""
import json

import torch

torch.manual_seed(16)
DT = torch.float64


def enc(t):
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def full_list(nones, tensors):
    out, it = [], iter(tensors)
    for k in range(len(nones) + len(tensors)):
        out.append(None if k in nones else next(it))
    return out


def case(name, op, args, inputs, fn):
    leaves = [t.clone().requires_grad_(t.is_floating_point()) for t in inputs]
    out = fn(*leaves)
    upstream = torch.randn(out.shape, dtype=DT)
    floats = [t for t in leaves if t.requires_grad]
    grads = torch.autograd.grad((out * upstream).sum(), floats, allow_unused=True)
    grads = [torch.zeros_like(f) if g is None else g for f, g in zip(floats, grads)]
    return {"name": name, "op": op, "args": args, "inputs": [enc(t) for t in inputs], "output": enc(out),
            "upstream": enc(upstream), "grads": [enc(g) for g in grads]}


def index(name, x, indices):
    nones = [k for k, t in enumerate(indices) if t is None]
    tensors = [t for t in indices if t is not None]
    return case(name, "index", {"none": nones}, [x] + tensors,
                lambda x, *ts: torch.ops.aten.index(x, full_list(nones, list(ts))))


def index_put(name, x, indices, values, accumulate):
    nones = [k for k, t in enumerate(indices) if t is None]
    tensors = [t for t in indices if t is not None]
    return case(name, "index_put", {"none": nones, "accumulate": accumulate}, [x, values] + tensors,
                lambda x, v, *ts: torch.ops.aten.index_put(x, full_list(nones, list(ts)), v, accumulate))


def r(*shape):
    return torch.randn(*shape, dtype=DT)


def L(*v):
    return torch.tensor(v, dtype=torch.long)


M34 = torch.tensor([[True, False, True, True], [False, False, False, False], [True, True, False, True]])

cases = [
    index("index_rows_negative_duplicates", r(4, 3), [L(0, -1, 2, 0)]),
    index("index_two_broadcast", r(3, 4), [torch.tensor([[0], [2]]), L(1, -1, 3)]),
    index("index_adjacent_middle", r(2, 3, 4, 5), [None, torch.tensor([[0], [2]]), L(1, 3, -4)]),
    index("index_non_adjacent", r(2, 3, 4), [L(1, 0, 1), None, L(3, -1, 0)]),
    index("index_non_adjacent_after_slice", r(2, 3, 4, 5), [None, L(2, 0), None, L(4, 1)]),
    index("index_column", r(3, 4), [None, L(3, 3, 0)]),
    index("index_0dim", r(3, 4), [torch.tensor(1)]),
    index("index_0dim_and_vector", r(3, 4, 2), [torch.tensor(-1), None, L(1, 0, 1)]),
    index("index_empty", r(3, 4), [torch.zeros(0, dtype=torch.long)]),
    index("mask_full", r(3, 4), [M34]),
    index("mask_prefix", r(3, 4, 2), [M34]),
    index("mask_after_slice", r(2, 3, 4), [None, M34]),
    index("mask_1d_with_long", r(3, 4), [L(0, 2), torch.tensor([False, True, False, True])]),
    index("mask_none_true", r(3, 4), [torch.zeros(3, dtype=torch.bool)]),
    index_put("put_accumulate_duplicates", r(5, 3), [L(0, 2, 0, 4)], r(4, 3), True),
    index_put("put_rows_broadcast_values", r(5, 3), [L(1, -1)], r(3), False),
    index_put("put_mask_scalar_values", r(3, 4), [M34], r(1), False),
    index_put("put_mask_values", r(3, 4), [M34], r(6), False),
    index_put("put_two_indices_accumulate", r(3, 4), [L(0, 2, 0), L(1, 1, 1)], r(3), True),
    index_put("put_non_adjacent", r(2, 3, 4), [L(1, 0), None, L(3, 0)], r(2, 3), False),
    index_put("put_adjacent_middle_accumulate", r(2, 3, 4), [None, L(0, 0, 2), L(1, 1, 3)], r(2, 3), True),
]
print(json.dumps({"cases": cases}))
