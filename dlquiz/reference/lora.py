"""LoRA, low-rank adaptation of a frozen linear layer (Hu et al., 2021), and what it saves.

The pretrained weight W stays frozen; only a rank-r update is trained:

    y = x·W + b + (α/r)·(x·A)·B          (x @ W layout, W of shape (in, out))

The paper writes W₀ + (α/r)·B·A with B (d_out × r) and A (r × d_in) in PyTorch's (out, in) layout;
here both appear transposed, A of shape (in, r) and B of shape (r, out), and A·B is the update.
B starts at zero, so at initialisation the adapted layer computes exactly what the pretrained one
did, and training moves away from it smoothly. After training the update can be merged into W, so
inference costs nothing extra.
"""

import numpy as np

__all__ = ["lora_init", "lora_forward", "lora_backward", "lora_merge", "lora_param_count", "finetune_memory_bytes"]


def lora_init(in_features, out_features, rank, rng):
    """Initial LoRA factors: A random, B zero (so the update A·B starts at 0).

        A ~ U(−1/√in, 1/√in)   (PEFT's default, ``kaiming_uniform_(a=√5)`` of the (r, in) weight)
        B = 0

    Parameters
    ----------
    in_features, out_features : int
    rank : int
        r, much smaller than in and out (4 to 64 is typical).
    rng : numpy.random.Generator

    Returns
    -------
    A : ndarray, shape (in, r)
    B : ndarray, shape (r, out)
    """
    bound = 1.0 / np.sqrt(in_features)
    return rng.uniform(-bound, bound, size=(in_features, rank)), np.zeros((rank, out_features))


def lora_forward(x, W, b, A, B, alpha):
    """Output of a linear layer with a LoRA update.

        y = x·W + b + (α/r)·(x·A)·B

    Computing (x·A)·B costs N·r·(in + out) multiply-adds and never forms the in × out update.

    Parameters
    ----------
    x : ndarray, shape (N, in)
    W : ndarray, shape (in, out)
        Frozen pretrained weight.
    b : ndarray, shape (out,), or None
        Frozen bias.
    A : ndarray, shape (in, r)
    B : ndarray, shape (r, out)
    alpha : float
        α; the update is scaled by α/r, so changing r does not change the update's size at init.

    Returns
    -------
    ndarray, shape (N, out)
    """
    scale = alpha / A.shape[1]
    y = x @ W + scale * (x @ A) @ B
    return y if b is None else y + b


def lora_backward(dout, x, W, A, B, alpha):
    """Gradients of :func:`lora_forward` for the trainable factors and the input (W and b are frozen).

    With s = α/r:

        ∂L/∂A = s · xᵀ·(dy·Bᵀ)
        ∂L/∂B = s · (x·A)ᵀ·dy
        ∂L/∂x = dy·Wᵀ + s · (dy·Bᵀ)·Aᵀ

    At initialisation B = 0, so ∂L/∂A = 0: only B moves in the first step, and A starts to learn
    once B is non-zero.

    Parameters
    ----------
    dout : ndarray, shape (N, out)
    x, W, A, B, alpha
        As in the forward call.

    Returns
    -------
    dx : ndarray, shape (N, in)
    dA : ndarray, shape (in, r)
    dB : ndarray, shape (r, out)
    """
    scale = alpha / A.shape[1]
    d_low = dout @ B.T  # (N, r)
    return dout @ W.T + scale * d_low @ A.T, scale * x.T @ d_low, scale * (x @ A).T @ dout


def lora_merge(W, A, B, alpha):
    """Fold the update into the weight for inference: W′ = W + (α/r)·A·B.

    Then x·W′ + b equals :func:`lora_forward` exactly, with no extra latency.

    Parameters
    ----------
    W : ndarray, shape (in, out)
    A : ndarray, shape (in, r)
    B : ndarray, shape (r, out)
    alpha : float

    Returns
    -------
    ndarray, shape (in, out)
    """
    return W + (alpha / A.shape[1]) * A @ B


def lora_param_count(in_features, out_features, rank):
    """Trainable parameters of a LoRA adapter, r·(in + out), against in·out for the full matrix.

    A 4096 × 4096 projection with r = 8: 65,536 trainable instead of 16,777,216 (0.39 %).

    Parameters
    ----------
    in_features, out_features, rank : int

    Returns
    -------
    (int, int)
        (LoRA parameters, full-matrix parameters).
    """
    return rank * (in_features + out_features), in_features * out_features


def finetune_memory_bytes(num_params, trainable_params, weight_bytes=2):
    """Memory for weights, gradients and Adam state when only some parameters are trained.

        weights: P · weight_bytes              (every stored weight, frozen and trainable alike)
        for each trainable parameter, with mixed-precision Adam:
            gradient 2 (bf16) + fp32 master copy 4 + Adam moments m and v 8  =  14 bytes

    so a trained bf16 parameter costs 2 + 14 = 16 bytes, the ZeRO paper's accounting
    (``distributed.bytes_per_parameter``). Activations are not counted. Full fine-tuning of a 7 B model
    needs 16 · 7e9 = 112 GB; LoRA with 4 M trainable parameters needs 14 GB + 56 MB, nearly all of it
    the frozen weights; QLoRA stores the frozen weights in 4 bits (weight_bytes = 0.5): 3.5 GB.

    Parameters
    ----------
    num_params : int
        P, every parameter the model stores (the trainable ones included).
    trainable_params : int
        P_train.
    weight_bytes : float, default 2
        Bytes per stored weight (2 for bf16/fp16, 4 for fp32, 0.5 for 4-bit).

    Returns
    -------
    dict
        {"weights", "gradients", "master", "optimizer", "total"} in bytes.
    """
    out = {
        "weights": num_params * weight_bytes,
        "gradients": trainable_params * 2,
        "master": trainable_params * 4,
        "optimizer": trainable_params * 8,
    }
    out["total"] = sum(out.values())
    return out
