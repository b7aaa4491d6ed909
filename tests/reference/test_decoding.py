"""Temperature, top-k, top-p, sampling, greedy decoding and beam search."""

import itertools
import math

import numpy as np
import pytest

from dlquiz.reference.decoding import (
    apply_temperature,
    beam_search,
    greedy_decode,
    sample_token,
    top_k_filter,
    top_p_filter,
)

PROBS = np.array([0.5, 0.3, 0.15, 0.05])
LOGITS = np.log(PROBS)


def kept(filtered):
    return np.flatnonzero(np.isfinite(filtered)).tolist()


def test_temperature_sharpens_and_flattens():
    def p(t):
        e = np.exp(apply_temperature(LOGITS, t))
        return e / e.sum()

    # T = 1/2 squares the probabilities before renormalising
    assert np.allclose(p(0.5), PROBS**2 / np.sum(PROBS**2))
    assert p(0.01)[0] > 0.999 and np.allclose(p(1e6), 0.25, atol=1e-5)
    with pytest.raises(ValueError):
        apply_temperature(LOGITS, 0.0)


def test_top_k_by_hand_and_ties_kept():
    assert kept(top_k_filter(LOGITS, 2)) == [0, 1]
    assert kept(top_k_filter(np.array([1.0, 3.0, 2.0, 2.0]), 2)) == [1, 2, 3]
    assert kept(top_k_filter(LOGITS, 10)) == [0, 1, 2, 3]
    assert np.array_equal(top_k_filter(LOGITS, 2)[:2], LOGITS[:2])


@pytest.mark.parametrize("p, expected", [(0.1, [0]), (0.5, [0]), (0.7, [0, 1]), (0.81, [0, 1, 2]), (1.0, [0, 1, 2, 3])])
def test_top_p_keeps_the_smallest_set_reaching_p(p, expected):
    shuffled = np.array([2, 0, 3, 1])  # the token order must not matter
    assert sorted(shuffled[kept(top_p_filter(LOGITS[shuffled], p))].tolist()) == expected


def hf_top_p(logits, p):
    """Hugging Face's formulation: sort ascending, drop tokens whose cumulative sum is ≤ 1 − p, keep the top one."""
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    order = np.argsort(probs)
    cum = np.cumsum(probs[order])
    remove = cum <= 1 - p
    remove[-1] = False
    keep = np.ones(len(logits), dtype=bool)
    keep[order[remove]] = False
    return keep


def test_top_p_equals_the_ascending_formulation():
    rng = np.random.default_rng(0)
    for _ in range(200):
        logits, p = rng.normal(size=9) * 2, rng.uniform(0.05, 0.99)
        assert np.array_equal(np.isfinite(top_p_filter(logits, p)), hf_top_p(logits, p))


def test_top_p_check_catches_dropping_the_token_that_crosses_p():
    def strict(logits, p):  # keeps only tokens whose own cumulative sum stays ≤ p (can keep none)
        probs = np.exp(logits) / np.exp(logits).sum()
        order = np.argsort(-probs)
        keep = np.zeros(len(logits), dtype=bool)
        keep[order[np.cumsum(probs[order]) <= p]] = True
        return keep

    assert not np.array_equal(strict(LOGITS, 0.7), hf_top_p(LOGITS, 0.7))


def test_sampling_is_inverse_cdf_with_the_given_rng():
    logits = np.array([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]])
    token = sample_token(logits, np.random.default_rng(5))
    u = np.random.default_rng(5).random(2)
    for row, t in zip(range(2), token, strict=True):
        cdf = np.cumsum(np.exp(logits[row]) / np.exp(logits[row]).sum())
        assert t == int(np.searchsorted(cdf, u[row], side="right"))


def test_sampling_frequencies_follow_the_filtered_softmax():
    rng = np.random.default_rng(1)
    draws = np.array([sample_token(LOGITS, rng, temperature=1.0, top_k=3) for _ in range(20000)])
    target = PROBS[:3] / PROBS[:3].sum()
    freq = np.bincount(draws, minlength=4) / len(draws)
    assert freq[3] == 0
    assert np.all(np.abs(freq[:3] - target) < 5 * np.sqrt(target * (1 - target) / len(draws)))


def test_sampling_never_picks_a_filtered_token_and_temperature_zero_is_greedy():
    rng = np.random.default_rng(2)
    assert {sample_token(LOGITS, rng, top_p=0.5) for _ in range(200)} == {0}
    assert sample_token(np.array([0.0, 5.0, 1.0]), rng, temperature=0) == 1


def markov(table):
    """A toy model: the next-token log-probabilities depend on the last token only."""
    logt = np.log(np.asarray(table, dtype=float))
    return lambda tokens: logt[tokens[-1]]


# start token 0; from 0: A (1) 0.6, B (2) 0.4; from A: 0.5/0.5 over C, D; from B: 0.9 on C
TRAP = markov(
    [
        [1e-9, 0.6, 0.4, 1e-9, 1e-9],
        [1e-9, 1e-9, 1e-9, 0.5, 0.5],
        [1e-9, 1e-9, 1e-9, 0.9, 0.1],
        [0.2, 0.2, 0.2, 0.2, 0.2],
        [0.2, 0.2, 0.2, 0.2, 0.2],
    ]
)


def test_greedy_takes_the_locally_best_token():
    assert greedy_decode(TRAP, [0], 2) == [0, 1, 3]
    assert greedy_decode(markov(np.eye(3) + 0.1), [0], 5, eos_id=0) == [0, 0]


def test_beam_search_finds_the_more_probable_sentence_greedy_misses():
    tokens, score = beam_search(TRAP, [0], beam_width=2, max_new_tokens=2)
    assert tokens == [0, 2, 3]
    assert score == pytest.approx(math.log(0.4 * 0.9), rel=1e-6)
    assert beam_search(TRAP, [0], beam_width=1, max_new_tokens=2)[0] == greedy_decode(TRAP, [0], 2)


def test_wide_beam_is_exhaustive():
    rng = np.random.default_rng(3)
    table = rng.dirichlet(np.ones(3), size=3)
    model = markov(table)
    best = max(
        itertools.product(range(3), repeat=3),
        key=lambda s: np.prod([table[a, b] for a, b in zip((0, *s[:-1]), s, strict=True)]),
    )
    tokens, _ = beam_search(model, [0], beam_width=27, max_new_tokens=3)
    assert tokens == [0, *best]


def test_beam_search_sets_finished_sequences_aside():
    # from 0: EOS (4) with 0.45, else token 1 (0.55) which then is sure to reach EOS only at 0.5
    model = markov([[1e-9, 0.55, 1e-9, 1e-9, 0.45], [1e-9, 1e-9, 0.5, 1e-9, 0.5], *[[0.2] * 5] * 3])
    tokens, score = beam_search(model, [0], beam_width=2, max_new_tokens=5, eos_id=4)
    assert tokens == [0, 4] and score == pytest.approx(math.log(0.45), rel=1e-6)
