"""The parts of a LLaMA-style decoder block: RMSNorm, the SwiGLU feed-forward, a pre-norm block,
parameter counts, weight tying and perplexity.

A 2017 Transformer block is post-norm (LayerNorm after each residual addition) with a ReLU
feed-forward d → 4d → d and biases. A LLaMA-style block normalises *before* each sublayer with
RMSNorm, uses a gated SwiGLU feed-forward with hidden size ≈ 8d/3, rotary position embeddings in
attention, and no biases. Layout: ``x @ W`` with W of shape (in, out).
"""

import numpy as np

from dlquiz.reference.activations import log_softmax, sigmoid
from dlquiz.reference.attention import causal_mask
from dlquiz.reference.kv_cache import attention_param_count, grouped_query_attention

__all__ = [
    "rms_norm_forward",
    "rms_norm_backward",
    "silu",
    "swiglu_forward",
    "swiglu_backward",
    "swiglu_hidden_size",
    "ffn_param_count",
    "llama_block_forward",
    "decoder_param_count",
    "tied_embedding_savings",
    "perplexity",
]


def rms_norm_forward(x, weight, eps=None):
    """RMSNorm: rescale each vector by its root mean square, then by a learned gain (no centring, no bias).

        r = 1 / √(mean(x²) + ε)          (mean over the last axis)
        y = weight ⊙ x · r

    Unlike LayerNorm it does not subtract the mean, which saves a reduction and works as well in
    practice. Matches ``torch.nn.RMSNorm(d, eps=eps)``: its default ``eps=None`` means
    ``torch.finfo(x.dtype).eps`` (2.2e-16 in float64), the default here too; LLaMA sets ε = 1e-5
    or 1e-6.

    Parameters
    ----------
    x : ndarray, shape (..., d)
    weight : ndarray, shape (d,)
        The gain (initialised to 1).
    eps : float, optional
        ε; None means the machine epsilon of x's dtype.

    Returns
    -------
    out : ndarray, shape (..., d)
    cache : tuple
        Opaque values for :func:`rms_norm_backward`.
    """
    eps = np.finfo(x.dtype).eps if eps is None else eps
    r = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    return weight * x * r, (x, r, weight)


def rms_norm_backward(dout, cache):
    """Backward pass of :func:`rms_norm_forward`.

    With g = weight ⊙ dy and ∂r/∂xₖ = −r³·xₖ/d:

        ∂L/∂x = r·g − r³·x·mean(g ⊙ x)          (mean over the last axis)
        ∂L/∂weight = Σ dy ⊙ x·r                  (sum over the leading axes)

    Parameters
    ----------
    dout : ndarray, shape (..., d)
        ∂L/∂y.
    cache : tuple
        From :func:`rms_norm_forward`.

    Returns
    -------
    dx : ndarray, shape (..., d)
    dweight : ndarray, shape (d,)
    """
    x, r, weight = cache
    g = weight * dout
    dx = r * g - r**3 * x * np.mean(g * x, axis=-1, keepdims=True)
    dweight = (dout * x * r).reshape(-1, x.shape[-1]).sum(axis=0)
    return dx, dweight


def silu(a):
    """SiLU (swish), silu(a) = a·σ(a), as ``F.silu``; its derivative is σ(a)·(1 + a·(1 − σ(a)))."""
    return a * sigmoid(a)


def swiglu_forward(x, W_gate, W_up, W_down):
    """SwiGLU feed-forward (Shazeer 2020; LLaMA), without biases.

        h = silu(x·W_gate) ⊙ (x·W_up)        (d → hidden, a gated product)
        y = h·W_down                          (hidden → d)

    Three matrices instead of two: with hidden size h it has 3·d·h weights, so h ≈ 8d/3 matches the
    8d² of a d → 4d → d feed-forward (:func:`swiglu_hidden_size`). In PyTorch terms these are
    ``w1`` (gate), ``w3`` (up) and ``w2`` (down) of LLaMA's ``FeedForward``, transposed.

    Parameters
    ----------
    x : ndarray, shape (..., d)
    W_gate, W_up : ndarray, shape (d, hidden)
    W_down : ndarray, shape (hidden, d)

    Returns
    -------
    ndarray, shape (..., d)
    """
    return (silu(x @ W_gate) * (x @ W_up)) @ W_down


def swiglu_backward(dout, x, W_gate, W_up, W_down):
    """Gradients of :func:`swiglu_forward` (the forward pass is recomputed).

    With a = x·W_gate, u = x·W_up, s = σ(a), h = a·s ⊙ u:

        ∂L/∂W_down = hᵀ·dy,   dh = dy·W_downᵀ
        du = dh ⊙ silu(a),    da = dh ⊙ u ⊙ s·(1 + a·(1 − s))
        ∂L/∂W_up = xᵀ·du,     ∂L/∂W_gate = xᵀ·da
        ∂L/∂x = da·W_gateᵀ + du·W_upᵀ

    Parameters
    ----------
    dout : ndarray, shape (..., d)
    x, W_gate, W_up, W_down
        As in the forward call.

    Returns
    -------
    (dx, dW_gate, dW_up, dW_down)
        Arrays of the shapes of x, W_gate, W_up, W_down.
    """
    a, u = x @ W_gate, x @ W_up
    s = sigmoid(a)
    h = a * s * u
    flat_x, flat_dy = x.reshape(-1, x.shape[-1]), dout.reshape(-1, dout.shape[-1])
    dW_down = h.reshape(-1, h.shape[-1]).T @ flat_dy
    dh = dout @ W_down.T
    du = dh * a * s
    da = dh * u * s * (1 + a * (1 - s))
    dW_up = flat_x.T @ du.reshape(-1, du.shape[-1])
    dW_gate = flat_x.T @ da.reshape(-1, da.shape[-1])
    return da @ W_gate.T + du @ W_up.T, dW_gate, dW_up, dW_down


def swiglu_hidden_size(d_model, multiple_of=256):
    """LLaMA's SwiGLU hidden size: two thirds of 4d, rounded up to a multiple.

        h = multiple_of · ⌈⌊2·4d/3⌋ / multiple_of⌉

    d = 4096 gives ⌊10922.67⌋ = 10922 → 11008 (LLaMA-7B); the 3·d·h weights then roughly equal the
    8d² of a 4d ReLU/GELU feed-forward.

    Parameters
    ----------
    d_model : int
    multiple_of : int, default 256

    Returns
    -------
    int
    """
    hidden = int(2 * 4 * d_model / 3)
    return multiple_of * -(-hidden // multiple_of)


def ffn_param_count(d_model, hidden, gated=False, bias=False):
    """Weights of a position-wise feed-forward layer d → hidden → d.

        plain (ReLU/GELU):  2·d·h  (+ h + d biases)
        gated (SwiGLU):     3·d·h  (+ 2h + d biases)

    d = 4096: a 4d GELU FFN has 2·4096·16384 = 134,217,728 weights; SwiGLU with h = 11008 has
    3·4096·11008 = 135,266,304.

    Parameters
    ----------
    d_model : int
    hidden : int
    gated : bool, default False
    bias : bool, default False

    Returns
    -------
    int
    """
    matrices = 3 if gated else 2
    biases = (matrices - 1) * hidden + d_model if bias else 0
    return matrices * d_model * hidden + biases


def llama_block_forward(x, params, num_heads, num_kv_heads, eps=1e-5):
    """One pre-norm decoder block in the LLaMA style (causal, RoPE, RMSNorm, SwiGLU, no biases).

        h = x + Attention(RMSNorm(x))          (grouped-query, causal, RoPE on q and k)
        y = h + SwiGLU(RMSNorm(h))

    Pre-norm leaves an identity path from the block's input to its output (the residual is never
    normalised), which keeps gradients well-scaled in deep stacks and makes warm-up less critical
    than in post-norm blocks; a final RMSNorm follows the last block.

    Parameters
    ----------
    x : ndarray, shape (L, d)
    params : dict
        "attn_norm", "ffn_norm" (d,); "Wq", "Wo" (d, d); "Wk", "Wv" (d, H_kv·hd);
        "W_gate", "W_up" (d, hidden); "W_down" (hidden, d).
    num_heads, num_kv_heads : int
    eps : float, default 1e-5
        RMSNorm's ε.

    Returns
    -------
    ndarray, shape (L, d)
    """
    p = params
    normed, _ = rms_norm_forward(x, p["attn_norm"], eps)
    attn = grouped_query_attention(
        normed, p["Wq"], p["Wk"], p["Wv"], p["Wo"], num_heads, num_kv_heads, mask=causal_mask(len(x)), rope=True
    )
    h = x + attn
    normed, _ = rms_norm_forward(h, p["ffn_norm"], eps)
    return h + swiglu_forward(normed, p["W_gate"], p["W_up"], p["W_down"])


def decoder_param_count(vocab, d_model, num_layers, num_heads, num_kv_heads, hidden, tied=False):
    """Parameters of a LLaMA-style decoder-only model (no biases, RMSNorm gains only).

        per block = attention (:func:`dlquiz.reference.kv_cache.attention_param_count`)
                    + 3·d·hidden (SwiGLU) + 2·d (two RMSNorm gains)
        total = layers · per block + d (final norm) + V·d (embedding) + V·d (output head, unless tied)

    LLaMA-2-7B (V = 32000, d = 4096, 32 layers, 32 heads, hidden 11008, untied): 6,738,415,616.

    Parameters
    ----------
    vocab, d_model, num_layers, num_heads, num_kv_heads, hidden : int
    tied : bool, default False
        Share the embedding matrix with the output projection (see :func:`tied_embedding_savings`).

    Returns
    -------
    int
    """
    block = attention_param_count(d_model, num_heads, num_kv_heads) + 3 * d_model * hidden + 2 * d_model
    embeddings = vocab * d_model * (1 if tied else 2)
    return num_layers * block + d_model + embeddings


def tied_embedding_savings(vocab, d_model):
    """Parameters saved by tying the input embedding to the output projection: V·d.

    The output layer computes logits = h·Eᵀ with the embedding matrix E (V, d) itself instead of a
    separate (d, V) matrix (Press & Wolf 2017; GPT-2, T5 and BERT tie). GPT-2 small, V = 50257,
    d = 768: 38,597,376 parameters, about 31 % of its 124 M. Large models often untie, where V·d is
    a small fraction of the total.

    Parameters
    ----------
    vocab : int
    d_model : int

    Returns
    -------
    int
    """
    return vocab * d_model


def perplexity(logits, targets):
    """Perplexity of next-token predictions: the exponential of the mean cross-entropy (in nats).

        PPL = exp(−(1/N) Σₜ log p(yₜ | context))

    The "effective branching factor": a model that spreads its probability uniformly over V tokens
    has perplexity V; a perfect model has 1. Equals ``torch.exp(F.cross_entropy(logits, targets))``.

    Parameters
    ----------
    logits : ndarray, shape (N, V)
        One row per predicted token.
    targets : ndarray of int, shape (N,)

    Returns
    -------
    float
    """
    logp = log_softmax(np.asarray(logits, dtype=float), axis=-1)
    nll = -logp[np.arange(len(targets)), np.asarray(targets)].mean()
    return float(np.exp(nll))
