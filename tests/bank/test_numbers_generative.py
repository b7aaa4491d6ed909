"""Every number and claim quoted in questions/generative.yaml, recomputed from the reference code."""

import math

import numpy as np
import pytest

from dlquiz.reference import generative
from dlquiz.reference.losses import binary_cross_entropy_with_logits


def test_linear_autoencoder_spans_the_pca_subspace():
    from dlquiz.reference.layers import dense_backward, dense_forward

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3)) * [3.0, 2.0, 1.5] @ np.linalg.qr(rng.normal(size=(10, 10)))[0][:3]
    x = x + 0.1 * rng.normal(size=(300, 10))
    x -= x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    top = vt[:2]  # the top-2 principal directions
    pca_mse = np.mean((x - x @ top.T @ top) ** 2)

    w_enc, w_dec = 0.1 * rng.normal(size=(10, 2)), 0.1 * rng.normal(size=(2, 10))
    zeros2, zeros10 = np.zeros(2), np.zeros(10)
    for _ in range(3000):
        z = dense_forward(x, w_enc, zeros2)
        x_hat = dense_forward(z, w_dec, zeros10)
        dz, dw_dec, _ = dense_backward(2 * (x_hat - x) / x.size, z, w_dec)
        _, dw_enc, _ = dense_backward(dz, x, w_enc)
        w_enc -= 0.3 * dw_enc
        w_dec -= 0.3 * dw_dec
    ae_mse = np.mean((x - x @ w_enc @ w_dec) ** 2)
    assert ae_mse == pytest.approx(pca_mse, rel=0.01)
    # The decoder's rows lie in the span of the top principal directions (projection leaves them unchanged).
    assert np.allclose(w_dec @ top.T @ top, w_dec, atol=1e-3 * np.abs(w_dec).max())


def test_gaussian_kl_examples(text):
    unit = float(generative.gaussian_kl(np.array([1.0]), np.array([0.0])))
    half = float(generative.gaussian_kl(np.array([0.0]), np.array([math.log(0.25)])))
    assert f"μ = 1, σ = 1 gives {unit:g}, and μ = 0, σ = 0.5 gives ≈ {half:.3f}" in text("vae-kl-term")
    assert half == pytest.approx(0.5 * (0.25 - math.log(0.25) - 1))
    assert float(generative.gaussian_kl(np.zeros(3), np.zeros(3))) == 0.0


def test_gaussian_kl_closed_form_matches_monte_carlo():
    rng = np.random.default_rng(1)
    mu, sigma = 0.7, 0.4
    z = mu + sigma * rng.standard_normal(400_000)  # reparameterised samples from q
    log_q = -0.5 * math.log(2 * math.pi * sigma**2) - (z - mu) ** 2 / (2 * sigma**2)
    log_p = -0.5 * math.log(2 * math.pi) - z**2 / 2
    closed = float(generative.gaussian_kl(np.array([mu]), np.array([math.log(sigma**2)])))
    assert np.mean(log_q - log_p) == pytest.approx(closed, abs=5e-3)


def test_optimal_discriminator_and_value(text):
    rng = np.random.default_rng(2)
    p_data, p_g = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))  # two distributions on 6 points
    d_star = generative.gan_discriminator_optimum(p_data, p_g)

    def value(d):
        return np.sum(p_data * np.log(d) + p_g * np.log(1 - d))

    for other in (np.full(6, 0.5), np.clip(d_star + 0.05 * rng.normal(size=6), 0.01, 0.99)):
        assert value(d_star) > value(other)
    m = (p_data + p_g) / 2
    jsd = 0.5 * np.sum(p_data * np.log(p_data / m)) + 0.5 * np.sum(p_g * np.log(p_g / m))
    assert value(d_star) == pytest.approx(2 * jsd - math.log(4))
    assert np.allclose(generative.gan_discriminator_optimum(p_data, p_data), 0.5)
    assert f"V = −log 4 ≈ −{math.log(4):.3f}" in text("gan-objective")


def test_discriminator_loss_is_bce():
    rng = np.random.default_rng(3)
    real_logits, fake_logits = rng.normal(size=50), rng.normal(size=50)
    from dlquiz.reference.activations import sigmoid

    v = np.mean(np.log(sigmoid(real_logits))) + np.mean(np.log(1 - sigmoid(fake_logits)))
    bce = binary_cross_entropy_with_logits(real_logits, np.ones(50)) + binary_cross_entropy_with_logits(
        fake_logits, np.zeros(50)
    )
    assert float(bce) == pytest.approx(-v)


def test_generator_gradients_at_logit_minus_five(text):
    out = generative.gan_generator_losses(-5.0)
    sat, non_sat = float(out["saturating_grad"]), float(out["non_saturating_grad"])
    shown = text("gan-objective")
    assert f"only {sat:.4f} at a = −5".replace("-", "−") in shown
    assert f"σ(a) − 1 is {non_sat:.4f} there".replace("-", "−") in shown
