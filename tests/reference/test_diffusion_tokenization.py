"""Diffusion schedules, the forward process and one reverse step; BPE; softmax cost."""

import math

import numpy as np
import pytest

from dlquiz.reference.diffusion import (
    alpha_bar,
    classifier_free_guidance,
    cosine_beta_schedule,
    ddpm_step,
    diffusion_loss,
    linear_beta_schedule,
    predict_x0,
    q_sample,
)
from dlquiz.reference.tokenization import bpe_encode, bpe_learn, softmax_cost

BETAS = linear_beta_schedule(1000)


def test_linear_schedule_endpoints_and_alpha_bar():
    assert BETAS[0] == 1e-4 and BETAS[-1] == 0.02 and len(BETAS) == 1000
    ab = alpha_bar([0.1, 0.2, 0.5])
    assert np.allclose(ab, [0.9, 0.72, 0.36])
    assert alpha_bar(BETAS)[-1] < 1e-4  # almost pure noise at t = T


def test_cosine_schedule_alpha_bar_is_the_squared_cosine():
    betas = cosine_beta_schedule(100)
    f = [math.cos((t / 100 + 0.008) / 1.008 * math.pi / 2) ** 2 for t in range(101)]
    expected = [f[t] / f[0] for t in range(1, 101)]
    assert np.allclose(alpha_bar(betas)[:-1], expected[:-1], rtol=1e-12)
    assert betas.max() <= 0.999
    # halfway, the cosine schedule keeps far more signal than the linear one
    assert alpha_bar(cosine_beta_schedule(1000))[499] > 5 * alpha_bar(BETAS)[499]


def test_q_sample_equals_t_single_steps_in_distribution():
    rng = np.random.default_rng(0)
    betas = np.array([0.1, 0.3, 0.2])
    x0 = np.full(200_000, 2.0)
    x = x0.copy()
    for b in betas:  # the one-step process xₜ = √(1 − βₜ)·xₜ₋₁ + √βₜ·ε
        x = np.sqrt(1 - b) * x + np.sqrt(b) * rng.standard_normal(x.shape)
    ab = 0.9 * 0.7 * 0.8
    jumped = q_sample(x0, 3, rng.standard_normal(x0.shape), betas)
    for sample in (x, jumped):
        assert sample.mean() == pytest.approx(2 * math.sqrt(ab), abs=0.01)
        assert sample.var() == pytest.approx(1 - ab, abs=0.01)


def test_q_sample_by_hand_and_per_example_steps():
    betas = np.array([0.19, 0.5])
    assert q_sample(np.array([1.0]), 1, np.array([1.0]), betas) == pytest.approx(0.9 + math.sqrt(0.19))
    x0, noise = np.ones((2, 3)), np.zeros((2, 3))
    out = q_sample(x0, np.array([1, 2]), noise, betas)
    assert np.allclose(out[0], 0.9) and np.allclose(out[1], math.sqrt(0.81 * 0.5))


def test_predict_x0_inverts_q_sample_and_the_loss():
    rng = np.random.default_rng(1)
    x0, eps = rng.normal(size=5), rng.normal(size=5)
    xt = q_sample(x0, 400, eps, BETAS)
    assert np.allclose(predict_x0(xt, eps, 400, BETAS), x0)
    assert diffusion_loss(eps, eps) == 0.0 and diffusion_loss(np.zeros(2), np.array([1.0, 3.0])) == 5.0


def test_ddpm_step_mean_is_the_true_posterior_mean_given_the_true_noise():
    # with ε̂ = the true ε, μ equals the mean of q(xₜ₋₁ | xₜ, x₀) (DDPM eq. 7)
    rng = np.random.default_rng(2)
    x0, eps, t = rng.normal(size=4), rng.normal(size=4), 10
    xt = q_sample(x0, t, eps, BETAS)
    ab, ab_prev, beta = alpha_bar(BETAS)[t - 1], alpha_bar(BETAS)[t - 2], BETAS[t - 1]
    posterior = (math.sqrt(ab_prev) * beta * x0 + math.sqrt(1 - beta) * (1 - ab_prev) * xt) / (1 - ab)
    # at t = 1 no noise is added and the true ε recovers x₀ exactly
    assert np.allclose(ddpm_step(q_sample(x0, 1, eps, BETAS), eps, 1, BETAS, rng), x0, atol=1e-12)
    same_draws = np.random.default_rng(3)
    step = ddpm_step(xt, eps, t, BETAS, same_draws)
    z = np.random.default_rng(3).standard_normal(4)
    assert np.allclose(step - math.sqrt(beta) * z, posterior, atol=1e-12)


def test_classifier_free_guidance():
    c, u = np.array([1.0, 2.0]), np.array([0.0, 1.0])
    assert np.array_equal(classifier_free_guidance(c, u, 1.0), c)
    assert np.array_equal(classifier_free_guidance(c, u, 0.0), u)
    assert np.array_equal(classifier_free_guidance(c, u, 3.0), [3.0, 4.0])


def test_bpe_sennrich_example():
    counts = {"low": 5, "lower": 2, "newest": 6, "widest": 3}
    merges = bpe_learn(counts, 5)
    assert merges == [("e", "s"), ("es", "t"), ("est", "</w>"), ("l", "o"), ("lo", "w")]
    assert bpe_encode("lowest", merges) == ["low", "est</w>"]
    assert bpe_encode("zap", merges) == ["z", "a", "p", "</w>"]  # unseen characters still encode
    assert len(bpe_learn({"ab": 1}, 10)) == 2  # stops when nothing is left to merge


def test_bpe_pair_counts_are_weighted_by_frequency():
    merges = bpe_learn({"xy": 1, "ab": 3, "xyq": 1}, 1)  # (x, y) appears in 2 words, (a, b) 3 times
    assert merges == [("a", "b")]


def test_softmax_cost():
    assert softmax_cost(50257, 768) == (2 * 38_597_376, 38_597_376)
    assert softmax_cost(50257, 768, tied=True)[0] == 38_597_376
