"""Checks for top-k / top-p filtering (Hugging Face's rules: temperature, top-k keeping ties, then top-p)."""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import compare_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.activations import softmax
from dlquiz.reference.decoding import apply_temperature, top_k_filter, top_p_filter


def top_k_top_p(logits, k=None, p=None, temperature=1.0):
    """The probabilities to sample from, by Hugging Face's rules: temperature, top-k, then top-p on what
    top-k kept, renormalised (the reference's filters, composed)."""
    z = apply_temperature(logits, temperature)
    if k is not None:
        z = top_k_filter(z, k)
    if p is not None:
        z = top_p_filter(z, p)
    return softmax(z, axis=-1)


def _cases(rng):
    logits = np.array([2.0, 1.0, 0.5, 0.0, -1.0])
    ties = np.array([3.0, 1.0, 2.0, 2.0, 0.0])
    batch = rounded(rng.normal(0, 2, (3, 8)))
    large = np.array([[1000.0, 999.0, 998.0, 0.0], [-1000.0, -1001.0, -999.0, -1002.0]])
    timed = rng.normal(0, 3, (16, 5000))

    def case(name, x, hint="", timed=False, **kwargs):
        expected = top_k_top_p(x, **kwargs)
        return compare_case(
            name,
            "top_k_top_p",
            {"logits": x},
            expected,
            kwargs=kwargs,
            hint=hint,
            timed=timed,
            reference=lambda: top_k_top_p(x, **kwargs),
        )

    return [
        case("no filtering", logits),
        case("top-k, k = 2", logits, k=2),
        case("top-k, k = 1 (greedy)", logits, k=1),
        case("top-k, k larger than the vocabulary", logits, k=10),
        case(
            "top-k with a tie at the k-th logit",
            ties,
            k=2,
            hint="Tokens tied with the k-th largest logit are kept (Hugging Face's rule): drop z < the k-th largest.",
        ),
        case(
            "top-p, p = 0.7",
            logits,
            p=0.7,
            hint="Keep tokens from the most likely down while the probability before each is below p: the token that "
            "crosses p is kept. Then renormalise.",
        ),
        case("top-p, p tiny: only the most likely token", logits, p=1e-6),
        case(
            "temperature 0.5", logits, temperature=0.5, hint="Divide the logits by the temperature before the softmax."
        ),
        case(
            "temperature 2, top-k 3, top-p 0.8",
            batch,
            k=3,
            p=0.8,
            temperature=2.0,
            hint="Order: temperature, then top-k, then top-p on the renormalised top-k distribution.",
        ),
        case("a batch of 3 rows, top-p 0.5", batch, p=0.5),
        case("logits around ±1000", large, p=0.9, hint="Subtract each row's maximum before exponentiating."),
        case("16 × 5000 logits, k = 50, p = 0.9", timed, k=50, p=0.9, timed=True),
    ]


def _wrong(*, exclude_crossing=False, no_renorm=False, p_before_k=False, temperature_after=False, exact_k=False):
    def wrong(logits, k=None, p=None, temperature=1.0):
        z = logits if temperature_after else logits / temperature
        full = softmax(z)
        if k is not None and k < z.shape[-1]:
            if exact_k:
                order = np.argsort(-z, axis=-1, kind="stable")
                keep = np.zeros(z.shape, dtype=bool)
                np.put_along_axis(keep, order[..., :k], True, axis=-1)
                z = np.where(keep, z, -np.inf)
            else:
                z = np.where(z < np.sort(z, axis=-1)[..., -k, None], -np.inf, z)
        q = softmax(z)
        if temperature_after:
            q = q ** (1 / temperature)
            q = q / q.sum(axis=-1, keepdims=True)
        if p is not None:
            base = full if p_before_k else q
            order = np.argsort(-base, axis=-1)
            ranked = np.take_along_axis(base, order, axis=-1)
            cum = np.cumsum(ranked, axis=-1)
            kept_sorted = cum <= p if exclude_crossing else cum - ranked < p
            kept_sorted[..., 0] = True
            keep = np.zeros(q.shape, dtype=bool)
            np.put_along_axis(keep, order, kept_sorted, axis=-1)
            q = np.where(keep, q, 0.0)
            if not no_renorm:
                q = q / q.sum(axis=-1, keepdims=True)
        return q

    return wrong


SPECS = {
    "top-k-top-p": Spec(
        _cases,
        (
            Mistake(
                "top_k_top_p",
                "The token that takes the total past p is dropped; it is kept (the smallest set "
                "whose total reaches p).",
                _wrong(exclude_crossing=True),
            ),
            Mistake("top_k_top_p", "What is kept must be renormalised to sum to 1.", _wrong(no_renorm=True)),
            Mistake(
                "top_k_top_p",
                "Top-p is measured on the distribution top-k left (renormalised), not on the full softmax.",
                _wrong(p_before_k=True),
            ),
            Mistake(
                "top_k_top_p",
                "Exactly k tokens are kept; tokens tied with the k-th largest logit stay too.",
                _wrong(exact_k=True),
            ),
        ),
    ),
}
