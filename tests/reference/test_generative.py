"""VAE KL term and reparameterisation; GAN optimal discriminator and generator losses."""

import math
import warnings
from functools import partial

import numpy as np
import pytest

from dlquiz.reference import generative as gen
from dlquiz.reference.gradcheck import numerical_gradient, relative_error

# ---- VAE --------------------------------------------------------------------------------------


def test_kl_is_zero_for_the_prior():
    assert gen.gaussian_kl(np.zeros(4), np.zeros(4)) == 0.0
    assert gen.gaussian_kl(0.0 * np.ones(1), np.zeros(1)) == 0.0


def test_kl_hand_cases():
    # μ = 1, σ = 1: ½(1 + 1 − 1 − 0) = ½
    assert gen.gaussian_kl(np.array([1.0]), np.array([0.0])) == pytest.approx(0.5)
    # μ = 0, σ² = e: ½(e + 0 − 1 − 1)
    assert gen.gaussian_kl(np.array([0.0]), np.array([1.0])) == pytest.approx(0.5 * (math.e - 2))
    # μ = 2, σ = ½ (log σ² = −2 ln 2), textbook form log(1/σ) + (σ² + μ² − 1)/2
    expected = math.log(2) + (0.25 + 4 - 1) / 2
    assert gen.gaussian_kl(np.array([2.0]), np.array([-2 * math.log(2)])) == pytest.approx(expected)


def test_kl_sums_over_the_last_axis_only():
    mu = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    kl = gen.gaussian_kl(mu, np.zeros_like(mu))
    np.testing.assert_allclose(kl, [0.5, 0.0, 1.0])


def test_kl_matches_monte_carlo():
    rng = np.random.default_rng(0)
    mu, log_var = np.array([0.7, -1.2, 0.1]), np.array([0.4, -0.8, 1.1])
    var = np.exp(log_var)
    z = mu + np.sqrt(var) * rng.standard_normal((200_000, 3))
    log_q = -0.5 * (np.log(2 * np.pi * var) + (z - mu) ** 2 / var)
    log_p = -0.5 * (np.log(2 * np.pi) + z**2)
    mc = np.mean(np.sum(log_q - log_p, axis=1))
    assert gen.gaussian_kl(mu, log_var) == pytest.approx(mc, rel=0.02)


def test_kl_gradients():
    rng = np.random.default_rng(1)
    mu, log_var = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    dmu, dlog_var = gen.gaussian_kl_grad(mu, log_var)
    num_mu = numerical_gradient(lambda m: float(np.sum(gen.gaussian_kl(m, log_var))), mu)
    num_lv = numerical_gradient(lambda lv: float(np.sum(gen.gaussian_kl(mu, lv))), log_var)
    assert relative_error(dmu, num_mu) < 1e-6
    assert relative_error(dlog_var, num_lv) < 1e-6


def test_reparameterize_has_the_right_distribution():
    mu = np.full(100_000, 1.5)
    log_var = np.full(100_000, math.log(0.25))  # σ = 0.5
    z = gen.reparameterize(mu, log_var, np.random.default_rng(2))
    assert z.shape == mu.shape
    assert z.mean() == pytest.approx(1.5, abs=0.01)
    assert z.std() == pytest.approx(0.5, rel=0.02)


def test_reparameterize_is_deterministic_given_the_rng():
    mu, log_var = np.array([0.0, 1.0]), np.array([0.0, -1.0])
    a = gen.reparameterize(mu, log_var, np.random.default_rng(3))
    b = gen.reparameterize(mu, log_var, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    eps = np.random.default_rng(3).standard_normal(2)
    np.testing.assert_allclose(a, mu + np.exp(0.5 * log_var) * eps)


# ---- GAN --------------------------------------------------------------------------------------


def test_optimal_discriminator_values():
    np.testing.assert_allclose(gen.gan_discriminator_optimum([0.2, 0.3, 0.0], [0.2, 0.1, 0.5]), [0.5, 0.75, 0.0])


def test_optimal_discriminator_maximises_the_pointwise_objective():
    d = np.linspace(1e-4, 1 - 1e-4, 100_001)
    for a, b in ((0.3, 0.7), (2.0, 0.5), (1.0, 1.0)):
        objective = a * np.log(d) + b * np.log(1 - d)
        assert gen.gan_discriminator_optimum(a, b) == pytest.approx(d[np.argmax(objective)], abs=1e-4)


def test_generator_losses_at_zero_logit():
    out = gen.gan_generator_losses(np.array([0.0]))
    assert out["saturating"][0] == pytest.approx(math.log(0.5))
    assert out["non_saturating"][0] == pytest.approx(math.log(2))
    assert out["saturating_grad"][0] == pytest.approx(-0.5)
    assert out["non_saturating_grad"][0] == pytest.approx(-0.5)


def test_generator_loss_gradients():
    a = np.random.default_rng(4).normal(scale=3, size=7)
    out = gen.gan_generator_losses(a)
    for name in ("saturating", "non_saturating"):
        num = numerical_gradient(partial(_summed_generator_loss, name=name), a)
        assert relative_error(out[name + "_grad"], num) < 1e-6, name


def _summed_generator_loss(v, name):
    return float(np.sum(gen.gan_generator_losses(v)[name]))


def test_saturating_loss_vanishes_when_the_discriminator_rejects_fakes():
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = gen.gan_generator_losses(np.array([-20.0, -1000.0, 1000.0]))
    assert abs(out["saturating_grad"][0]) < 1e-8  # D ≈ 0: no signal from log(1 − D)
    assert out["non_saturating_grad"][0] == pytest.approx(-1.0)
    assert out["non_saturating"][1] == pytest.approx(1000.0)  # −log σ(−1000), finite
    assert out["saturating"][2] == pytest.approx(-1000.0)  # log(1 − σ(1000)), finite
