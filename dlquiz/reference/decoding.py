"""Turning a language model's logits into text: temperature, top-k and top-p (nucleus) filtering,
sampling, greedy decoding and beam search.

Conventions follow Hugging Face transformers' logits processors: temperature is applied first, then
top-k, then top-p; filtered logits become −∞ (probability exactly 0); top-k keeps every logit tied
with the k-th largest; top-p keeps the smallest set of most probable tokens whose cumulative
probability reaches p, and always at least one token. The decoders take a *step function*
``step_fn(tokens) -> logits`` (the model), so any toy model can drive them.
"""

import numpy as np

from dlquiz.reference.activations import log_softmax, softmax

__all__ = ["apply_temperature", "top_k_filter", "top_p_filter", "sample_token", "greedy_decode", "beam_search"]


def apply_temperature(logits, temperature):
    """Divide the logits by the temperature T before the softmax.

        p_i = softmax(z / T)_i = e^(z_i/T) / Σⱼ e^(z_j/T)

    T < 1 sharpens the distribution (T → 0: all mass on the argmax, greedy decoding); T > 1
    flattens it (T → ∞: uniform). The order of the tokens never changes.

    Parameters
    ----------
    logits : ndarray, shape (..., V)
    temperature : float
        T > 0.

    Returns
    -------
    ndarray, shape (..., V)
    """
    if temperature <= 0:
        raise ValueError(f"the temperature must be positive, got {temperature}")
    return np.asarray(logits, dtype=float) / temperature


def top_k_filter(logits, k):
    """Keep the k largest logits (and any tied with the k-th); set the rest to −∞.

        z′_i = z_i if z_i ≥ (k-th largest z) else −∞

    After the softmax only those tokens have probability > 0, renormalised among themselves. A fixed
    k keeps too many tokens when the model is sure and too few when it is not; top-p adapts.

    Parameters
    ----------
    logits : ndarray, shape (..., V)
    k : int
        k ≥ 1 (k ≥ V keeps everything).

    Returns
    -------
    ndarray, shape (..., V)
    """
    logits = np.asarray(logits, dtype=float)
    k = min(int(k), logits.shape[-1])
    if k < 1:
        raise ValueError(f"top-k needs k ≥ 1, got {k}")
    kth = np.sort(logits, axis=-1)[..., -k][..., None]
    return np.where(logits >= kth, logits, -np.inf)


def top_p_filter(logits, p, min_tokens_to_keep=1):
    """Nucleus filtering: keep the most probable tokens until their probabilities add up to p.

    Sort the probabilities π₁ ≥ π₂ ≥ … and keep token r while the mass before it is below p:

        keep r  ⇔  π₁ + … + π_(r−1) < p        (so the token that crosses p is kept)

    That is the smallest prefix whose cumulative probability reaches p; at least
    ``min_tokens_to_keep`` tokens (the most probable one) always survive. Equals Hugging Face's
    ``TopPLogitsWarper`` away from exact ties between a cumulative sum and p.

    Parameters
    ----------
    logits : ndarray, shape (..., V)
    p : float
        0 < p ≤ 1 (1 keeps everything).
    min_tokens_to_keep : int, default 1

    Returns
    -------
    ndarray, shape (..., V)
    """
    logits = np.asarray(logits, dtype=float)
    probs = softmax(logits, axis=-1)
    order = np.argsort(-probs, axis=-1, kind="stable")  # most probable first
    sorted_probs = np.take_along_axis(probs, order, axis=-1)
    mass_before = np.cumsum(sorted_probs, axis=-1) - sorted_probs
    keep_sorted = mass_before < p
    keep_sorted[..., :min_tokens_to_keep] = True
    keep = np.empty_like(keep_sorted)
    np.put_along_axis(keep, order, keep_sorted, axis=-1)
    return np.where(keep, logits, -np.inf)


def sample_token(logits, rng, temperature=1.0, top_k=None, top_p=None):
    """Sample the next token: temperature, then top-k, then top-p, then one draw from the softmax.

        z′ = top_p(top_k(z / T)),   π = softmax(z′),   token = the first i with π₁ + … + πᵢ > u·Σπ

    with u uniform in [0, 1) from ``rng`` (inverse-CDF sampling, one uniform draw per row).
    ``temperature=0`` is taken to mean greedy decoding (argmax), a convenience of ours; Hugging
    Face asks for ``do_sample=False`` instead.

    Parameters
    ----------
    logits : ndarray, shape (V,) or (B, V)
    rng : numpy.random.Generator
    temperature : float, default 1.0
    top_k : int, optional
    top_p : float, optional

    Returns
    -------
    int, or ndarray of int of shape (B,)
    """
    logits = np.asarray(logits, dtype=float)
    if temperature == 0:
        chosen = np.argmax(logits, axis=-1)
    else:
        z = apply_temperature(logits, temperature)
        if top_k is not None:
            z = top_k_filter(z, top_k)
        if top_p is not None:
            z = top_p_filter(z, top_p)
        cdf = np.cumsum(softmax(z, axis=-1), axis=-1)
        u = rng.random(logits.shape[:-1])[..., None]
        chosen = np.argmax(cdf > u * cdf[..., -1:], axis=-1)  # zero-probability tokens can never be chosen
    return int(chosen) if chosen.ndim == 0 else chosen


def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):
    """Append the most probable next token, one at a time.

        yₜ = argmaxᵢ step_fn(y₁ … y_(t−1))ᵢ,   until ``eos_id`` or ``max_new_tokens``

    Fast and deterministic, but myopic: a token that looks best now may lead to a less probable
    sentence than a runner-up (see :func:`beam_search`); with open-ended text it tends to repeat.

    Parameters
    ----------
    step_fn : callable
        Maps the token list so far to the next-token logits, shape (V,).
    prompt : list of int
    max_new_tokens : int
    eos_id : int, optional
        Stop after emitting this token.

    Returns
    -------
    list of int
        The prompt followed by the generated tokens.
    """
    tokens = list(prompt)
    for _ in range(max_new_tokens):
        tokens.append(int(np.argmax(step_fn(tokens))))
        if tokens[-1] == eos_id:
            break
    return tokens


def beam_search(step_fn, prompt, beam_width, max_new_tokens, eos_id=None, length_penalty=0.0):
    """Keep the ``beam_width`` most probable partial sequences at each step.

    A sequence's score is its total log-probability Σₜ log p(yₜ | y_<t). Each step extends every live
    beam by every token, and the best ``beam_width`` candidates survive; a candidate ending in
    ``eos_id`` is set aside as finished. The search stops when ``beam_width`` sequences have finished
    or after ``max_new_tokens`` steps, and returns the best by

        score / (generated length)^length_penalty

    (Hugging Face's ranking; its default length_penalty is 1.0, ours 0.0 = the raw log-probability,
    which favours short outputs). Width 1 is greedy decoding; a width of V^T (no EOS) is exhaustive.

    Parameters
    ----------
    step_fn : callable
        Maps a token list to next-token logits, shape (V,).
    prompt : list of int
    beam_width : int
    max_new_tokens : int
    eos_id : int, optional
    length_penalty : float, default 0.0

    Returns
    -------
    tokens : list of int
        The prompt followed by the best continuation.
    score : float
        Its total log-probability (before the length normalisation).
    """
    beams = [(list(prompt), 0.0)]
    finished = []
    for _ in range(max_new_tokens):
        logp = np.stack([log_softmax(np.asarray(step_fn(seq), dtype=float)) for seq, _ in beams])
        totals = np.array([s for _, s in beams])[:, None] + logp  # (beams, V)
        flat = np.argsort(-totals, axis=None, kind="stable")[: 2 * beam_width]
        beams_next = []
        for rank, index in enumerate(flat):
            b, token = divmod(int(index), totals.shape[1])
            candidate = (beams[b][0] + [token], float(totals[b, token]))
            if token == eos_id:
                if rank < beam_width:
                    finished.append(candidate)
            else:
                beams_next.append(candidate)
            if len(beams_next) == beam_width:
                break
        beams = beams_next
        if len(finished) >= beam_width or not beams:
            break
    finished.extend(beams)

    def ranking(candidate):
        generated = max(len(candidate[0]) - len(prompt), 1)
        return candidate[1] / generated**length_penalty

    return max(finished, key=ranking)
