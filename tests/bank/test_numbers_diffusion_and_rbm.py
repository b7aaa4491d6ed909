"""Numbers quoted by the generative items appended in 2026 (diffusion models, Boltzmann machines),
recomputed from the reference code."""

import itertools
import math

import numpy as np
import pytest

from dlquiz.reference import diffusion
from dlquiz.reference.activations import sigmoid


def test_schedules_at_the_midpoint(text):
    t = text("diffusion-models")
    linear = diffusion.linear_beta_schedule(1000)
    assert (linear[0], linear[-1]) == (1e-4, 0.02) and "β from 1e-4 to 0.02, T = 1000" in t
    lin = diffusion.alpha_bar(linear)[500 - 1]
    cos = diffusion.alpha_bar(diffusion.cosine_beta_schedule(1000))[500 - 1]
    assert f"leaves ᾱ = {lin:.4f} at t = 500; the cosine schedule (Nichol and Dhariwal, 2021) leaves {cos:.3f}" in t


def test_forward_marginal_matches_stepping(text):
    betas = diffusion.linear_beta_schedule(20, 0.01, 0.2)
    r = np.random.default_rng(0)
    x0 = np.full(200_000, 1.5)
    x = x0.copy()
    for beta in betas:  # xₜ = √(1 − βₜ)·xₜ₋₁ + √βₜ·ε, one step at a time
        x = np.sqrt(1 - beta) * x + np.sqrt(beta) * r.standard_normal(x.shape)
    ab = diffusion.alpha_bar(betas)[-1]
    assert x.mean() == pytest.approx(np.sqrt(ab) * 1.5, abs=0.01)
    assert x.var() == pytest.approx(1 - ab, abs=0.01)
    eps = r.standard_normal(5)
    assert np.allclose(diffusion.q_sample(x0[:5], 20, eps, betas), np.sqrt(ab) * 1.5 + np.sqrt(1 - ab) * eps)
    a1, a2 = 1 - betas[0], 1 - betas[1]
    assert a2 * (1 - a1) + (1 - a2) == pytest.approx(1 - a1 * a2)
    assert "α₂(1 − α₁) + (1 − α₂) = 1 − α₁α₂" in text("diffusion-models")


def test_training_target_and_guidance(text):
    r = np.random.default_rng(1)
    betas = diffusion.linear_beta_schedule(1000)
    x0, eps = r.standard_normal(4), r.standard_normal(4)
    x_t = diffusion.q_sample(x0, 300, eps, betas)
    assert diffusion.diffusion_loss(eps, eps) == 0.0  # a perfect noise prediction
    assert np.allclose(diffusion.predict_x0(x_t, eps, 300, betas), x0)
    cond, uncond = r.standard_normal(4), r.standard_normal(4)
    assert np.allclose(diffusion.classifier_free_guidance(cond, uncond, 1.0), cond)
    guided = diffusion.classifier_free_guidance(cond, uncond, 7.5)
    assert np.allclose(guided, uncond + 7.5 * (cond - uncond))
    assert "w > 1 (7.5 by default in Stable Diffusion v1)" in text("diffusion-models")
    assert "w = 1 is plain conditioning" in text("diffusion-models")
    paper_w = 7.5 - 1  # Ho & Salimans: ε̃ = (1 + w)·ε_cond − w·ε_uncond
    assert np.allclose(guided, (1 + paper_w) * cond - paper_w * uncond)
    assert "Salimans' (2022) guidance weight is w − 1" in text("diffusion-models")


def test_ddpm_sampling_takes_one_network_call_per_step(text):
    betas = diffusion.linear_beta_schedule(1000)
    calls, r = 0, np.random.default_rng(2)
    x = r.standard_normal(3)
    for t in range(len(betas), 0, -1):
        calls += 1  # the network ε_θ(xₜ, t) would be evaluated here
        x = diffusion.ddpm_step(x, np.zeros_like(x), t, betas, r)
    assert calls == 1000 and "1,000 network evaluations in DDPM" in text("diffusion-models")
    assert "T reverse steps (1,000 in DDPM)" in text("diffusion-models")
    assert "from 1,000 steps in DDPM" in text("diffusion-models")


def test_boltzmann_state_count(text):
    assert f"2¹⁰⁰ ≈ {2.0**100:.3g}".replace("e+", "e") in text("boltzmann-machines")


def brute_force(weights, biases):
    """Exact distribution of a Boltzmann machine with E(s) = −Σ_(i<j) wᵢⱼsᵢsⱼ − Σ bᵢsᵢ over binary s."""
    n = len(biases)
    states = np.array(list(itertools.product((0, 1), repeat=n)), dtype=float)
    energy = -0.5 * np.einsum("si,ij,sj->s", states, weights, states) - states @ biases
    p = np.exp(-energy)
    return states, p / p.sum()


def test_unit_conditional_is_a_sigmoid():
    r = np.random.default_rng(3)
    n = 4
    w = r.standard_normal((n, n))
    w = np.triu(w, 1) + np.triu(w, 1).T  # symmetric, zero diagonal
    b = r.standard_normal(n)
    states, p = brute_force(w, b)
    rest = np.array([1.0, 0.0, 1.0])  # units 1, 2, 3
    on = p[np.all(states[:, 1:] == rest, axis=1) & (states[:, 0] == 1)].sum()
    off = p[np.all(states[:, 1:] == rest, axis=1) & (states[:, 0] == 0)].sum()
    assert on / (on + off) == pytest.approx(sigmoid(w[0, 1:] @ rest + b[0]))


def test_with_plus_minus_one_units_the_conditional_doubles_the_input(text):
    r = np.random.default_rng(5)
    n = 4
    w = r.standard_normal((n, n))
    w = np.triu(w, 1) + np.triu(w, 1).T
    b = r.standard_normal(n)
    states = np.array(list(itertools.product((-1, 1), repeat=n)), dtype=float)
    p = np.exp(0.5 * np.einsum("si,ij,sj->s", states, w, states) + states @ b)
    rest = np.array([1.0, -1.0, -1.0])
    same = np.all(states[:, 1:] == rest, axis=1)
    on, off = p[same & (states[:, 0] == 1)].sum(), p[same & (states[:, 0] == -1)].sum()
    net = w[0, 1:] @ rest + b[0]
    assert on / (on + off) == pytest.approx(sigmoid(2 * net))
    assert on / (on + off) != pytest.approx(sigmoid(net))
    assert "p(sᵢ = +1 | rest) = σ(2·(bᵢ + Σⱼ wᵢⱼsⱼ))" in text("boltzmann-machines")


def test_rbm_hidden_units_are_independent_given_the_visible_ones():
    r = np.random.default_rng(4)
    nv, nh = 3, 3
    W, bv, ch = r.standard_normal((nv, nh)), r.standard_normal(nv), r.standard_normal(nh)
    weights = np.zeros((nv + nh, nv + nh))
    weights[:nv, nv:], weights[nv:, :nv] = W, W.T  # bipartite: no visible–visible or hidden–hidden links
    states, p = brute_force(weights, np.concatenate([bv, ch]))
    v = np.array([1.0, 0.0, 1.0])
    rows = np.all(states[:, :nv] == v, axis=1)
    hidden, p_h = states[rows, nv:], p[rows] / p[rows].sum()
    a = ch + v @ W
    factorised = np.prod(np.where(hidden == 1, sigmoid(a), 1 - sigmoid(a)), axis=1)
    assert np.allclose(p_h, factorised)  # p(h | v) = Πⱼ p(hⱼ | v), with p(hⱼ = 1 | v) = σ(cⱼ + Σᵢ vᵢWᵢⱼ)
    assert math.isclose(p_h.sum(), 1.0)
    h = np.array([0.0, 1.0, 1.0])
    rows = np.all(states[:, nv:] == h, axis=1)
    visible, p_v = states[rows, :nv], p[rows] / p[rows].sum()
    a = bv + W @ h
    assert np.allclose(p_v, np.prod(np.where(visible == 1, sigmoid(a), 1 - sigmoid(a)), axis=1))  # σ(bᵢ + Σⱼ Wᵢⱼhⱼ)
