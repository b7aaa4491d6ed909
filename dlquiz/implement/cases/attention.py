"""Checks for the attention exercises: scaled dot-product attention, multi-head attention, positional encoding.

A query whose keys are all masked: the reference gives it zero weights and a zero output; an all-NaN
row (what a softmax over −inf gives, and what some PyTorch versions return) is accepted for such a row
only. Every other row must match.
"""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import compare_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.activations import softmax
from dlquiz.reference.attention import (
    causal_mask,
    multi_head_attention,
    positional_encoding,
    scaled_dot_product_attention,
)

ATT_NAMES = ("out", "weights")

# --------------------------------------------------------------------------- scaled dot-product attention


def _blocked_rows(mask, out_shape):
    """Bool array of out_shape[:-1] + (1,): True on the rows of queries that may attend to nothing."""
    if mask is None:
        return np.zeros(out_shape[:-1] + (1,), dtype=bool)
    return np.broadcast_to(~np.any(mask, axis=-1, keepdims=True), out_shape[:-1] + (1,))


def _nan_rows_ok(mask):
    def accept(_part, expected, got):
        return np.broadcast_to(_blocked_rows(mask, expected.shape), expected.shape) & np.isnan(got)

    return accept


def _att_case(name, q, k, v, mask=None, **options):
    args = {"q": q, "k": k, "v": v}
    kwargs = {} if mask is None else {"mask": mask}
    expected = scaled_dot_product_attention(q, k, v, mask)
    return compare_case(
        name, "attention", args, expected, kwargs=kwargs, names=ATT_NAMES, accept=_nan_rows_ok(mask), **options
    )


def _att_cases(rng):
    def qkv(b, lq, lk, d, dv, decimals=1, scale=1.0):
        return tuple(rounded(rng.normal(0, scale, shape), decimals) for shape in ((b, lq, d), (b, lk, d), (b, lk, dv)))

    blocked = np.ones((1, 3, 4), dtype=bool)
    blocked[0, 1] = False
    padding = np.array([[[True, True, True, False, False]], [[True, True, True, True, True]]])
    timed = qkv(4, 64, 64, 32, 32, 6)
    return [
        _att_case("one query, two keys", *qkv(1, 1, 2, 2, 3)),
        _att_case(
            "a batch of 2, 3 queries, 5 keys",
            *qkv(2, 3, 5, 4, 6),
            hint="Scale the scores by 1/√d, d the width of q and k; softmax over the keys (the last axis).",
        ),
        _att_case(
            "a causal mask",
            *qkv(2, 4, 4, 3, 2),
            causal_mask(4),
            hint="True means 'may attend' (F.scaled_dot_product_attention's boolean mask): set the scores where the "
            "mask is False to −inf.",
        ),
        _att_case("a padding mask of shape (B, 1, Lk)", *qkv(2, 3, 5, 4, 3), padding),
        _att_case(
            "a query whose keys are all masked",
            *qkv(1, 3, 4, 2, 2),
            blocked,
            hint="A query that may attend to nothing gets zero weights and a zero output (NaN is "
            "accepted too). A large "
            "negative fill (−1e9) instead of −inf makes that query attend uniformly to keys it may not see.",
        ),
        _att_case(
            "4-D input (batch, heads, L, d)",
            *(rounded(rng.normal(0, 1, s), 1) for s in ((2, 3, 4, 5), (2, 3, 4, 5), (2, 3, 4, 2))),
            hint="k.T reverses every axis of a 4-D array; transpose only the last two: np.swapaxes(k, −1, −2).",
        ),
        _att_case(
            "large scores",
            *qkv(1, 3, 4, 8, 2, 1, 30.0),
            no_warnings=True,
            hint="Subtract each row's maximum score before exponentiating (softmax(x − max) = softmax(x)).",
        ),
        _att_case(
            "4 × 64 queries and keys, d = 32",
            *timed,
            timed=True,
            reference=lambda: scaled_dot_product_attention(*timed),
        ),
    ]


def _att_wrong(*, scale="sqrt", inverted=False, axis=-1, fill=None, after=False):
    def wrong(q, k, v, mask=None):
        d = q.shape[-1]
        divisor = {"sqrt": np.sqrt(d), "none": 1.0, "d": float(d)}[scale]
        scores = q @ np.swapaxes(k, -1, -2) / divisor
        if mask is not None and inverted:
            mask = ~mask
        if mask is not None and not after:
            scores = np.where(mask, scores, -np.inf if fill is None else fill)
        with np.errstate(all="ignore"):
            weights = softmax(scores, axis=axis)
        if mask is not None and after:
            weights = weights * mask
        return weights @ v, weights

    return wrong


# --------------------------------------------------------------------------- multi-head attention


def _mha_cases(rng):
    def inputs(length, embed, heads, decimals=1):
        weights = {n: rounded(rng.normal(0, embed**-0.5, (embed, embed)), decimals) for n in ("Wq", "Wk", "Wv", "Wo")}
        return {"x": rounded(rng.normal(0, 1, (length, embed)), decimals), **weights, "num_heads": heads}

    def case(name, args, mask=None, hint=""):
        kwargs = {} if mask is None else {"mask": mask}
        return compare_case(
            name, "multi_head_attention", args, multi_head_attention(**args, mask=mask), kwargs=kwargs, hint=hint
        )

    return [
        case("3 tokens, E = 4, 2 heads", inputs(3, 4, 2)),
        case(
            "5 tokens, E = 6, 3 heads",
            inputs(5, 6, 3),
            hint="Head i takes columns i·hd … (i + 1)·hd − 1: reshape (L, E) to (L, h, hd), then move the head axis "
            "first. Reshaping straight to (h, L, hd) mixes tokens and heads.",
        ),
        case("one head", inputs(4, 4, 1)),
        case("as many heads as features", inputs(3, 4, 4)),
        case("a causal mask, 6 tokens, E = 8, 2 heads", inputs(6, 8, 2), causal_mask(6)),
        case("16 tokens, E = 32, 4 heads", inputs(16, 32, 4, 6)),
        case(
            "large activations",
            (big := inputs(4, 4, 2)) | {"x": big["x"] * 40},
            hint="Subtract each row's maximum score before exponentiating: the scores here are in the hundreds.",
        ),
    ]


def _mha_wrong(*, scale_by_embed=False, bad_split=False, no_output=False):
    def wrong(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
        length, embed = x.shape
        hd = embed // num_heads

        def split(t):
            if bad_split:
                return t.reshape(num_heads, length, hd)
            return t.reshape(length, num_heads, hd).transpose(1, 0, 2)

        q, k, v = split(x @ Wq), split(x @ Wk), split(x @ Wv)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(embed if scale_by_embed else hd)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        heads = softmax(scores) @ v
        concat = heads.reshape(length, embed) if bad_split else heads.transpose(1, 0, 2).reshape(length, embed)
        return concat if no_output else concat @ Wo

    return wrong


# --------------------------------------------------------------------------- positional encoding


def _pe_cases(rng):  # noqa: ARG001 (no random inputs)
    cases = [
        ("4 positions, d = 6", 4, 6, ""),
        ("one position", 1, 8, "Position 0 encodes as [0, 1, 0, 1, …]: sin 0 and cos 0."),
        ("an odd width, d = 7", 5, 7, "For an odd d_model the last column is a sine, with no cosine after it."),
        ("50 positions, d = 128", 50, 128, ""),
    ]
    return [
        compare_case(name, "positional_encoding", {"length": n, "d_model": d}, positional_encoding(n, d), hint=hint)
        for name, n, d, hint in cases
    ]


def _pe_wrong(*, exponent_i=False, swapped=False, halves=False, from_one=False):
    def wrong(length, d_model):
        pos = np.arange(length)[:, None] + (1 if from_one else 0)
        idx = np.arange(0, d_model, 2)
        angles = pos / 10000.0 ** ((idx / 2 if exponent_i else idx) / d_model)
        sin, cos = (np.cos, np.sin) if swapped else (np.sin, np.cos)
        pe = np.zeros((length, d_model))
        if halves:
            half = (d_model + 1) // 2
            pe[:, :half] = sin(angles)
            pe[:, half:] = cos(angles[:, : d_model // 2])
        else:
            pe[:, 0::2] = sin(angles)
            pe[:, 1::2] = cos(angles[:, : d_model // 2])
        return pe

    return wrong


SPECS = {
    "attention": Spec(
        _att_cases,
        (
            Mistake("attention", "The scores are not scaled: divide q·kᵀ by √d.", _att_wrong(scale="none")),
            Mistake(
                "attention",
                "The scores are divided by d; the scale is 1/√d (it keeps their variance near 1).",
                _att_wrong(scale="d"),
            ),
            Mistake(
                "attention",
                "The mask is inverted: True means the query may attend to that key.",
                _att_wrong(inverted=True),
            ),
            Mistake(
                "attention",
                "The softmax runs over the queries; it must normalise over the keys (the last axis).",
                _att_wrong(axis=-2),
            ),
            Mistake(
                "attention",
                "The mask is applied after the softmax, so the remaining weights no longer sum to 1; mask the scores "
                "(−inf) before the softmax.",
                _att_wrong(after=True),
            ),
            Mistake(
                "attention",
                "A large negative fill (−1e9) makes a query with every key masked attend uniformly to keys it may not "
                "see; use −inf and give such a row zero weights.",
                _att_wrong(fill=-1e9),
            ),
        ),
    ),
    "multi-head-attention": Spec(
        _mha_cases,
        (
            Mistake(
                "multi_head_attention",
                "Each head scales by 1/√hd (its own width), not 1/√E.",
                _mha_wrong(scale_by_embed=True),
            ),
            Mistake(
                "multi_head_attention",
                "Reshaping (L, E) straight to (h, L, hd) mixes tokens and heads: reshape to (L, h, "
                "hd), then transpose.",
                _mha_wrong(bad_split=True),
            ),
            Mistake(
                "multi_head_attention",
                "The output projection is missing: the concatenated heads go through Wo.",
                _mha_wrong(no_output=True),
            ),
        ),
    ),
    "positional-encoding": Spec(
        _pe_cases,
        (
            Mistake(
                "positional_encoding",
                "The exponent is 2i/d_model where 2i is the even column index (0, 2, 4, …), so the pair (2i, 2i + 1) "
                "shares one frequency.",
                _pe_wrong(exponent_i=True),
            ),
            Mistake(
                "positional_encoding",
                "Sine and cosine are swapped: sines go in the even columns.",
                _pe_wrong(swapped=True),
            ),
            Mistake(
                "positional_encoding",
                "This puts all sines first and all cosines after; the original interleaves them (sin in even columns, "
                "cos in odd ones).",
                _pe_wrong(halves=True),
            ),
            Mistake("positional_encoding", "Positions start at 0.", _pe_wrong(from_one=True)),
        ),
    ),
}
