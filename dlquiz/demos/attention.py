"""Demos about attention: weights as heat maps, the √dₖ scale, heads, positions, masks, a whole block."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import DemoResult, Heatmap, Plot, Table
from dlquiz.demos._util import floats, in_range, matrix_text, need, num, rng, series
from dlquiz.reference import activations as act
from dlquiz.reference import attention as att
from dlquiz.reference.layers import dense_forward
from dlquiz.reference.normalization import layernorm_forward

__all__ = [
    "attention_weights",
    "sqrt_dk_scaling",
    "multi_head_maps",
    "permutation_equivariance",
    "transformer_block",
    "causal_mask_weights",
]

TOKENS = ["the", "cat", "sat", "down", "on", "a", "warm", "mat"]


def _weights_heatmap(title: str, w, labels: list[str]) -> Heatmap:
    return Heatmap(title, floats(w), [f"{t} →" for t in labels], labels)


def attention_weights(*, tokens: int = 4, d_k: int = 8, seed: int = 0) -> DemoResult:
    """Self-attention over 4 tokens: softmax(QKᵀ/√dₖ) weights as a heat map, rows summing to 1, output = weights·V."""
    in_range("tokens", tokens, 2, len(TOKENS))
    in_range("d_k", d_k, 1, 256)
    r = rng(seed)
    labels = TOKENS[:tokens]
    x = r.standard_normal((tokens, d_k))
    Wq, Wk, Wv = (r.standard_normal((d_k, d_k)) / math.sqrt(d_k) for _ in range(3))
    q, k, v = x @ Wq, x @ Wk, x @ Wv
    out, w = att.scaled_dot_product_attention(q[None], k[None], v[None])
    out, w = out[0], w[0]
    return DemoResult(
        title="Attention weights",
        summary=(
            "Each query scores every key (q·k/√dₖ), a softmax turns the scores into weights that sum to 1, and the "
            "output is the weighted average of the values."
        ),
        code=["attention.scaled_dot_product_attention"],
        inputs={
            "token words": ", ".join(labels),
            "x": f"({tokens}, {d_k}) random embeddings",
            "Q, K, V": "x·W_Q, x·W_K, x·W_V",
        },
        heatmaps=[_weights_heatmap("Weights: row = query token, column = key token", w, labels)],
        tables=[
            Table(
                "Checks",
                ["query", "Σ weights", "‖output − weights·V‖", "most attended key"],
                [
                    [labels[i], num(w[i].sum()), num(np.linalg.norm(out[i] - w[i] @ v)), labels[int(np.argmax(w[i]))]]
                    for i in range(tokens)
                ],
            ),
            Table("Output of the first token", ["", "value"], [["weights · V", matrix_text(out[0], 3)]]),
        ],
        notes=[
            (
                "Self-attention takes Q, K and V from the same sequence; in cross-attention the queries come from "
                "the decoder."
            ),
            "Cost: an L × L weight matrix per head, O(L²·d).",
        ],
    )


def sqrt_dk_scaling(*, tokens: int = 8, seed: int = 0) -> DemoResult:
    """dₖ = 4, 64, 1024: q·k has std √dₖ, so unscaled softmaxes saturate; dividing by √dₖ keeps them soft."""
    in_range("tokens", tokens, 2, 64)
    r = rng(seed)
    rows = []
    for d in (4, 64, 1024):
        q, k = r.standard_normal((200, d)), r.standard_normal((200, d))
        dots = np.sum(q * k, axis=1)
        keys = r.standard_normal((tokens, d))
        raw = q[:50] @ keys.T
        max_raw = num(np.mean(act.softmax(raw, axis=-1).max(axis=-1)))
        _, scaled_weights = att.scaled_dot_product_attention(q[:50], keys, keys)  # softmax(q·k/√dₖ)
        max_scaled = num(np.mean(scaled_weights.max(axis=-1)))
        rows.append([d, num(dots.std()), math.sqrt(d), max_raw, max_scaled])
    return DemoResult(
        title="Why divide by √dₖ",
        summary=(
            "With unit-variance components, q·k is a sum of dₖ products, so Var(q·k) = dₖ: large scores push the "
            "softmax to one-hot, where its gradient vanishes."
        ),
        code=["attention.scaled_dot_product_attention", "activations.softmax"],
        inputs={"q, k": "components N(0, 1)"},
        tables=[
            Table(
                "Scores and softmax sharpness",
                ["dₖ", "std of q·k", "√dₖ", "mean max weight, unscaled", "mean max weight, ÷√dₖ"],
                rows,
            )
        ],
        notes=[
            (
                f"A uniform softmax over {tokens} keys has max weight 1/{tokens} = {1 / tokens:.3g}; 1.0 means one "
                f"key takes everything."
            ),
            "Masked positions get −∞ before the softmax, so their weights are exactly 0.",
        ],
    )


def multi_head_maps(*, length: int = 5, d_model: int = 8, heads: int = 2, seed: int = 0) -> DemoResult:
    """L = 5, d = 8, h = 2: each head attends with its own slice of Q, K, V, giving its own weight map."""
    in_range("length", length, 2, len(TOKENS))
    in_range("d_model", d_model, 1, 256)
    in_range("heads", heads, 1, 8)
    need(d_model % heads == 0, f"'heads' must divide d_model ({d_model})")
    r = rng(seed)
    x = r.standard_normal((length, d_model))
    Wq, Wk, Wv, Wo = (r.standard_normal((d_model, d_model)) / math.sqrt(d_model) for _ in range(4))
    out = att.multi_head_attention(x, Wq, Wk, Wv, Wo, heads)
    hd = d_model // heads
    labels = TOKENS[:length]
    maps, head_outputs = [], []
    for i in range(heads):
        cols = slice(i * hd, (i + 1) * hd)
        o, w = att.scaled_dot_product_attention((x @ Wq)[:, cols], (x @ Wk)[:, cols], (x @ Wv)[:, cols])
        maps.append(
            _weights_heatmap(f"Head {i + 1} weights (columns {i * hd}…{(i + 1) * hd - 1} of Q, K, V)", w, labels)
        )
        head_outputs.append(o)
    rebuilt = np.concatenate(head_outputs, axis=-1) @ Wo
    return DemoResult(
        title="Multi-head attention",
        summary=(
            "The model width is split into h heads of size d/h; each attends separately (its own pattern), the "
            "heads are concatenated and mixed by W_O."
        ),
        code=["attention.multi_head_attention"],
        inputs={"x": f"({length}, {d_model})", "head size": hd},
        heatmaps=maps,
        tables=[
            Table(
                "Shapes",
                ["tensor", "shape"],
                [
                    ["Q = x·W_Q", f"({length}, {d_model})"],
                    ["per head Q, K, V", f"({length}, {hd})"],
                    ["per head weights", f"({length}, {length})"],
                    ["concatenated heads", f"({length}, {d_model})"],
                    ["output · W_O", str(out.shape)],
                ],
            ),
            Table(
                "Checks",
                ["quantity", "value"],
                [
                    ["weights W_Q, W_K, W_V, W_O", 4 * d_model * d_model],
                    ["max |output − concat(heads)·W_O|", num(np.max(np.abs(out - rebuilt)))],
                ],
            ),
        ],
        notes=["The parameter count is 4·d² however many heads there are: heads split the width, they do not copy it."],
    )


def permutation_equivariance(*, length: int = 5, d_model: int = 8, seed: int = 0) -> DemoResult:
    """Without positional encodings, permuting the tokens just permutes self-attention's outputs; with them it does
    not.
    """
    in_range("length", length, 2, 32)
    in_range("d_model", d_model, 2, 64)
    r = rng(seed)
    x = r.standard_normal((length, d_model))
    Wq, Wk, Wv, Wo = (r.standard_normal((d_model, d_model)) / math.sqrt(d_model) for _ in range(4))
    perm = np.roll(np.arange(length), 1)
    pe = att.positional_encoding(length, d_model)

    def attend(inp):
        return att.multi_head_attention(inp, Wq, Wk, Wv, Wo, 1)

    plain = num(np.max(np.abs(attend(x[perm]) - attend(x)[perm])))
    with_pe = num(np.max(np.abs(attend(x[perm] + pe) - attend(x + pe)[perm])))
    positions = np.arange(length)
    return DemoResult(
        title="Attention needs positional encodings",
        summary=(
            "Self-attention is permutation-equivariant: shuffle the tokens and the outputs shuffle the same way. "
            "Adding PE(pos) makes order matter."
        ),
        code=["attention.positional_encoding", "attention.multi_head_attention"],
        inputs={"x": f"({length}, {d_model})", "permutation": f"rotate by one: {perm.tolist()}"},
        tables=[
            Table(
                "Does f(permuted x) equal permuted f(x)?",
                ["input", "max |f(Px) − P·f(x)|"],
                [["token embeddings only", plain], ["embeddings + positional encoding", with_pe]],
            ),
            Table(
                "PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(…)",
                ["pos", *[f"dim {j}" for j in range(min(d_model, 4))]],
                [[p, *floats(pe[p, :4])] for p in range(min(length, 5))],
            ),
        ],
        plots=[
            Plot(
                "Positional encoding, first dimensions",
                {f"dim {j}": series(positions, pe[:, j]) for j in range(min(d_model, 4))},
                xlabel="position",
            )
        ],
        notes=[
            (
                "PE(pos + k) is a fixed rotation of PE(pos) for each pair of dimensions, so relative offsets are "
                "easy to read off."
            )
        ],
    )


def transformer_block(*, length: int = 6, d_model: int = 8, heads: int = 2, seed: int = 0) -> DemoResult:
    """One post-LN Transformer block on a (6, 8) input: attention, add & norm, FFN d → 4d → d, add & norm."""
    in_range("length", length, 1, 64)
    in_range("d_model", d_model, 1, 256)
    in_range("heads", heads, 1, 8)
    need(d_model % heads == 0, f"'heads' must divide d_model ({d_model})")
    r = rng(seed)
    x = r.standard_normal((length, d_model)) + att.positional_encoding(length, d_model)
    Wq, Wk, Wv, Wo = (r.standard_normal((d_model, d_model)) / math.sqrt(d_model) for _ in range(4))
    W1, W2 = (
        r.standard_normal((d_model, 4 * d_model)) / math.sqrt(d_model),
        r.standard_normal((4 * d_model, d_model)) / math.sqrt(4 * d_model),
    )
    ones, zeros = np.ones(d_model), np.zeros(d_model)
    a = att.multi_head_attention(x, Wq, Wk, Wv, Wo, heads)
    h1, _ = layernorm_forward(x + a, ones, zeros)
    f_hidden = act.relu(dense_forward(h1, W1, np.zeros(4 * d_model)))
    f = dense_forward(f_hidden, W2, zeros)
    out, _ = layernorm_forward(h1 + f, ones, zeros)
    rows = [
        ("x = embeddings + PE", str(x.shape), 0),
        ("a = MultiHeadAttention(x)", str(a.shape), 4 * d_model * d_model),
        ("h = LayerNorm(x + a)", str(h1.shape), 2 * d_model),
        ("ReLU(h·W₁ + b₁)", str(f_hidden.shape), d_model * 4 * d_model + 4 * d_model),
        ("f = …·W₂ + b₂", str(f.shape), 4 * d_model * d_model + d_model),
        ("y = LayerNorm(h + f)", str(out.shape), 2 * d_model),
    ]
    return DemoResult(
        title="One Transformer block",
        summary=(
            "Self-attention then a position-wise feed-forward net (d → 4d → d), each wrapped in a residual "
            "connection and LayerNorm; the shape (L, d) is kept throughout."
        ),
        code=["attention.multi_head_attention", "normalization.layernorm_forward"],
        inputs={
            "x": f"({length}, {d_model}) random + positional encoding",
            "layout": "post-LN (original paper); GPT-2 and later use pre-LN",
        },
        tables=[
            Table("Shapes after each sublayer", ["step", "shape", "parameters"], rows),
            Table(
                "Totals",
                ["", "value"],
                [
                    ["parameters in the block", sum(rw[2] for rw in rows)],
                    ["row means of y (LayerNorm)", matrix_text(out.mean(axis=1), 6)],
                ],
            ),
        ],
        notes=[
            (
                "Every token is processed in parallel and any two positions are one attention step apart; the price "
                "is O(L²) attention."
            )
        ],
    )


def causal_mask_weights(*, length: int = 6, seed: int = 0) -> DemoResult:
    """A causal (lower-triangular) mask: every weight above the diagonal is exactly 0, each row still sums to 1."""
    in_range("length", length, 2, len(TOKENS))
    r = rng(seed)
    q, k, v = (r.standard_normal((length, 8)) for _ in range(3))
    mask = att.causal_mask(length)
    _, w = att.scaled_dot_product_attention(q, k, v, mask=mask)
    _, w_full = att.scaled_dot_product_attention(q, k, v)
    labels = TOKENS[:length]
    return DemoResult(
        title="Causal mask: GPT-style attention",
        summary=(
            "A decoder may only look back: mask = np.tril(ones) (True = may attend), so weights above the diagonal "
            "are 0 and token i sees tokens 1…i."
        ),
        code=["attention.causal_mask", "attention.scaled_dot_product_attention"],
        inputs={"q, k, v": f"({length}, 8) random", "mask": "lower triangle, diagonal included"},
        heatmaps=[
            _weights_heatmap("Causal weights (GPT, decoder)", w, labels),
            _weights_heatmap("Unmasked weights (BERT, encoder)", w_full, labels),
        ],
        tables=[
            Table(
                "Checks",
                ["quantity", "value"],
                [
                    ["largest weight above the diagonal", num(np.max(np.triu(w, 1)))],
                    ["row sums", matrix_text(w.sum(axis=1), 6)],
                    ["first token attends to itself with weight", num(w[0, 0])],
                ],
            )
        ],
        notes=[
            (
                "BERT sees both sides and is trained to fill in masked tokens; GPT predicts the next token and must "
                "not peek ahead."
            )
        ],
    )
