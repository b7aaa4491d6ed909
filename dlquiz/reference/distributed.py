"""Training at scale: gradient accumulation, data-parallel all-reduce, and memory accounting (ZeRO).

Gradient accumulation and data parallelism rest on the same identity: the gradient of a mean loss
over a batch is the size-weighted average of the gradients of the mean losses over its parts. One
GPU can therefore add up micro-batches before stepping, and N GPUs can average their shards'
gradients (an all-reduce) and all take the same step. Memory is dominated, before activations, by
the optimizer's bookkeeping: Adam keeps two numbers per parameter, in fp32.
"""

import numpy as np

__all__ = [
    "accumulated_gradient",
    "data_parallel_gradient",
    "ring_all_reduce",
    "bytes_per_parameter",
    "zero_memory_per_gpu",
]


def _weighted_sum(parts):
    """Σ wₖ·gₖ over (weight, gradient dict) pairs."""
    total = {}
    for weight, grads in parts:
        for key, g in grads.items():
            total[key] = total.get(key, 0.0) + weight * np.asarray(g, dtype=float)
    return total


def accumulated_gradient(grad_fn, X, y, micro_batch_size):
    """The full-batch gradient of a mean loss, assembled from micro-batches (gradient accumulation).

        g = Σₖ (nₖ / N) · gₖ,    gₖ = ∇ of the mean loss over micro-batch k (nₖ examples)

    With equal micro-batches this is (1/K)·Σ gₖ: in PyTorch, divide each micro-batch's loss by K
    before ``backward()`` (gradients add up in ``.grad``) and step once. Forgetting the 1/K gives a K
    times larger step; a last, smaller micro-batch needs the weight nₖ/N, not 1/K. Layers whose
    output depends on the batch (batch norm) still see only micro-batches.

    Parameters
    ----------
    grad_fn : callable
        grad_fn(X_part, y_part) -> dict name → gradient of the **mean** loss over that part.
    X : ndarray, shape (N, ...)
    y : ndarray, shape (N, ...)
    micro_batch_size : int

    Returns
    -------
    dict
        name → gradient, equal to grad_fn(X, y).
    """
    n = len(X)
    parts = []
    for start in range(0, n, micro_batch_size):  # one backward pass per micro-batch
        stop = min(start + micro_batch_size, n)
        parts.append(((stop - start) / n, grad_fn(X[start:stop], y[start:stop])))
    return _weighted_sum(parts)


def data_parallel_gradient(grad_fn, X, y, num_workers):
    """Synchronous data parallelism: each worker takes an equal shard, then the gradients are averaged.

        gᵢ = grad_fn(shard i),   g = (1/W) Σᵢ gᵢ      (the all-reduce, then every worker steps with g)

    Equal to the full-batch gradient of the mean loss when the shards have equal sizes (as
    PyTorch's ``DistributedSampler`` arranges, padding the data if needed); every replica then
    applies the same update, so the copies stay identical.

    Parameters
    ----------
    grad_fn : callable
        As in :func:`accumulated_gradient`.
    X, y : ndarray
        N must be divisible by ``num_workers``.
    num_workers : int

    Returns
    -------
    dict
        name → averaged gradient.
    """
    if len(X) % num_workers:
        raise ValueError(f"{len(X)} examples cannot be split evenly over {num_workers} workers")
    shards = zip(np.array_split(X, num_workers), np.array_split(y, num_workers), strict=True)
    return _weighted_sum([(1.0 / num_workers, grad_fn(xs, ys)) for xs, ys in shards])


def ring_all_reduce(arrays):
    """Ring all-reduce: every worker ends with the sum of all workers' arrays.

    Each array is cut into W chunks. In W − 1 reduce-scatter steps each worker passes one chunk to
    its right neighbour, which adds its own; then chunk c is complete on one worker. In W − 1
    all-gather steps the complete chunks travel once more round the ring. Each worker sends
    2·(W − 1)/W times the array size in all, almost independent of W, which is why rings scale.

    Parameters
    ----------
    arrays : list of ndarray, all of the same shape
        One per worker (W ≥ 1).

    Returns
    -------
    results : list of ndarray
        Every worker's final array (all equal to Σ arrays).
    sent : int
        Numbers sent by each worker.
    """
    w = len(arrays)
    chunks = [np.array_split(np.asarray(a, dtype=float).ravel(), w) for a in arrays]
    sent = 0
    for step in range(w - 1):  # reduce-scatter: worker i sends chunk (i − step) mod W to i + 1
        outgoing = [(i, (i - step) % w, chunks[i][(i - step) % w].copy()) for i in range(w)]
        for i, c, data in outgoing:
            chunks[(i + 1) % w][c] = chunks[(i + 1) % w][c] + data
        sent += len(outgoing[0][2])
    for step in range(w - 1):  # all-gather: worker i sends its complete chunk (i + 1 − step) mod W
        outgoing = [(i, (i + 1 - step) % w, chunks[i][(i + 1 - step) % w].copy()) for i in range(w)]
        for i, c, data in outgoing:
            chunks[(i + 1) % w][c] = data
        sent += len(outgoing[0][2])
    shape = np.shape(arrays[0])
    return [np.concatenate(c).reshape(shape) for c in chunks], sent


_OPTIMIZER_STATES = {"sgd": 0, "momentum": 1, "adam": 2}


def bytes_per_parameter(optimizer="adam", mixed_precision=False):
    """Bytes per parameter for weights, gradients and optimizer state (activations not included).

        fp32:             4 (weights) + 4 (gradients) + 4·s (s optimizer states: 0 SGD, 1 momentum, 2 Adam)
        mixed precision:  2 (fp16/bf16 weights) + 2 (fp16/bf16 gradients)
                          + 4 (fp32 master weights) + 4·s (fp32 states)

    Adam is 16 bytes either way: mixed precision saves activation memory and time, not state. A
    7 B-parameter model with Adam needs 112 GB before activations, more than one 80 GB GPU. (This
    is the ZeRO paper's accounting; frameworks differ in details, e.g. keeping fp32 gradients.)

    Parameters
    ----------
    optimizer : {"sgd", "momentum", "adam"}, default "adam"
    mixed_precision : bool, default False

    Returns
    -------
    dict
        {"weights", "gradients", "master", "optimizer", "total"}, bytes per parameter.
    """
    states = _OPTIMIZER_STATES[optimizer]
    if mixed_precision:
        out = {"weights": 2, "gradients": 2, "master": 4, "optimizer": 4 * states}
    else:
        out = {"weights": 4, "gradients": 4, "master": 0, "optimizer": 4 * states}
    out["total"] = sum(out.values())
    return out


def zero_memory_per_gpu(num_params, num_gpus, stage):
    """Model-state memory per GPU with ZeRO data parallelism (Rajbhandari et al., 2020), mixed-precision Adam.

    With Ψ parameters and N_d GPUs (2 + 2 bytes of fp16 weights and gradients, 12 of fp32 master
    weights and Adam states per parameter):

        stage 0 (plain data parallel):   16Ψ             (every GPU holds everything)
        stage 1 (shard optimizer state): 4Ψ + 12Ψ/N_d
        stage 2 (+ shard gradients):     2Ψ + 14Ψ/N_d
        stage 3 (+ shard weights):       16Ψ/N_d         (what PyTorch's FSDP does)

    Ψ = 7.5 B on 64 GPUs: 120 GB, 31.4 GB, 16.6 GB, 1.9 GB. Stages 1–2 cost no more communication
    than data parallelism; stage 3 gathers each layer's weights when it is needed (about 1.5×).

    Parameters
    ----------
    num_params : int or float
        Ψ.
    num_gpus : int
        N_d.
    stage : {0, 1, 2, 3}

    Returns
    -------
    float
        Bytes per GPU.
    """
    psi, n = float(num_params), num_gpus
    per_stage = {0: 16 * psi, 1: 4 * psi + 12 * psi / n, 2: 2 * psi + 14 * psi / n, 3: 16 * psi / n}
    return per_stage[stage]
