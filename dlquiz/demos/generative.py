"""Demos about generative models: autoencoders vs PCA, the VAE's KL term, the GAN generator's loss."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import DemoResult, Plot, Table
from dlquiz.demos._util import in_range, need, num, rng, series, steps_axis
from dlquiz.reference import generative as gen
from dlquiz.reference import optimizers as optim

__all__ = ["autoencoder_vs_pca", "vae_kl", "gan_generator_gradients"]


def autoencoder_vs_pca(*, code_size: int = 2, steps: int = 1500, seed: int = 0) -> DemoResult:
    """A linear 10 → 2 → 10 autoencoder trained with MSE reaches PCA's reconstruction error with 2 components."""
    in_range("code_size", code_size, 1, 9)
    in_range("steps", steps, 1, 20000)
    r = rng(seed)
    latent = r.standard_normal((300, 3)) * np.array([3.0, 2.0, 1.0])
    X = latent @ r.standard_normal((3, 10)) + 0.1 * r.standard_normal((300, 10))
    X = X - X.mean(axis=0)
    Vt = np.linalg.svd(X, full_matrices=False)[2]
    V = Vt[:code_size].T
    pca_mse = num(np.mean((X @ V @ V.T - X) ** 2))
    params = {"E": r.standard_normal((10, code_size)) * 0.1, "D": r.standard_normal((code_size, 10)) * 0.1}
    opt = optim.Adam(lr=0.01)
    losses = []
    for _ in range(steps):
        code = X @ params["E"]
        err = code @ params["D"] - X
        losses.append(num(np.mean(err**2)))
        d_rec = 2 * err / err.size
        opt.step(params, {"D": code.T @ d_rec, "E": X.T @ (d_rec @ params["D"].T)})
    total_var = num(np.mean(X**2))
    return DemoResult(
        title="Linear autoencoder vs PCA",
        summary=(
            "An encoder squeezes x into a small code and a decoder rebuilds it; with linear layers and MSE the best "
            "it can do is PCA's subspace."
        ),
        code=["optimizers.Adam"],
        inputs={"data": "300 points in 10-D lying near a 3-D subspace", "training": f"{steps} Adam steps, η = 0.01"},
        plots=[
            Plot(
                "Autoencoder reconstruction MSE",
                {"autoencoder": series(steps_axis(steps, 1), losses), "PCA": ([1.0, float(steps)], [pca_mse, pca_mse])},
                xlabel="step",
                log_y=True,
            )
        ],
        tables=[
            Table(
                "Reconstruction MSE",
                ["method", "MSE"],
                [
                    ["keep nothing (predict the mean)", total_var],
                    [f"PCA, {code_size} components", pca_mse],
                    [f"linear autoencoder 10 → {code_size} → 10", losses[-1]],
                ],
            )
        ],
        notes=[
            (
                "The autoencoder learns the same subspace, not necessarily the same axes: any invertible mix of the "
                "code is as good."
            ),
            (
                "Non-linear encoders, denoising and variational versions go beyond PCA; the reconstruction error "
                "works as an anomaly score."
            ),
        ],
    )


def vae_kl(*, mu: float = 1.0, sigma: float = 0.5, samples: int = 20000, seed: int = 0) -> DemoResult:
    """KL(N(μ, σ²) ‖ N(0, 1)) in closed form vs a Monte-Carlo estimate with reparameterised samples z = μ + σε."""
    in_range("sigma", sigma, 0.01, 10.0)
    in_range("samples", samples, 10, 1000000)
    mu_a, log_var = np.array([mu]), np.array([2 * math.log(sigma)])
    closed = num(gen.gaussian_kl(mu_a, log_var))
    r = rng(seed)
    z = gen.reparameterize(np.full(samples, mu), np.full(samples, log_var[0]), r)
    log_q = -0.5 * ((z - mu) / sigma) ** 2 - math.log(sigma) - 0.5 * math.log(2 * math.pi)
    log_p = -0.5 * z**2 - 0.5 * math.log(2 * math.pi)
    mc = num(np.mean(log_q - log_p))
    se = num(np.std(log_q - log_p) / math.sqrt(samples))
    return DemoResult(
        title="The VAE's KL term",
        summary=(
            "KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − log σ² − 1); sampling z = μ + σε and averaging log q(z) − log "
            "p(z) gives the same number."
        ),
        code=["generative.gaussian_kl", "generative.reparameterize"],
        inputs={"q": f"N({mu:g}, {sigma:g}²)", "p (prior)": "N(0, 1)"},
        tables=[
            Table(
                "KL divergence",
                ["estimate", "value"],
                [
                    ["closed form", closed],
                    ["by hand ½(μ² + σ² − log σ² − 1)", 0.5 * (mu**2 + sigma**2 - math.log(sigma**2) - 1)],
                    ["Monte Carlo", mc],
                    ["Monte-Carlo standard error", se],
                ],
            )
        ],
        notes=[
            "The reparameterisation moves the randomness into ε ~ N(0, 1), so gradients flow to μ and σ.",
            "ELBO = E_q[log p(x | z)] − KL(q ‖ p) ≤ log p(x): the KL term pulls each code toward the prior.",
        ],
    )


def gan_generator_gradients(*, logit_min: float = -10.0, logit_max: float = 5.0) -> DemoResult:
    """The generator's gradient w.r.t. D's logit: log(1 − D) (saturating) vanishes when D rejects fakes; −log D does
    not.
    """
    in_range("logit_min", logit_min, -50.0, 0.0)
    in_range("logit_max", logit_max, 0.0, 50.0)
    need(logit_min < logit_max, "'logit_min' must be below 'logit_max'")
    a = np.linspace(logit_min, logit_max, 151)
    out = gen.gan_generator_losses(a)
    pts = np.array([-10.0, -5.0, -2.0, 0.0, 2.0])
    at = gen.gan_generator_losses(pts)
    return DemoResult(
        title="GAN generator loss: saturating vs non-saturating",
        summary=(
            "Early on D rejects fakes (logit a ≪ 0): the minimax loss log(1 − D) has gradient −σ(a) ≈ 0, while −log "
            "D has gradient σ(a) − 1 ≈ −1."
        ),
        code=["generative.gan_generator_losses", "generative.gan_discriminator_optimum"],
        inputs={"a": f"D's logit on a fake, from {logit_min:g} to {logit_max:g}", "D": "σ(a)"},
        plots=[
            Plot(
                "Gradient of the generator loss w.r.t. a",
                {"log(1 − D)": series(a, out["saturating_grad"]), "−log D": series(a, out["non_saturating_grad"])},
                xlabel="D's logit a",
            )
        ],
        tables=[
            Table(
                "Gradients",
                ["a", "D = σ(a)", "∂/∂a log(1 − D)", "∂/∂a (−log D)"],
                [
                    [p, 1 / (1 + math.exp(-p)), num(g1), num(g2)]
                    for p, g1, g2 in zip(pts.tolist(), at["saturating_grad"], at["non_saturating_grad"], strict=True)
                ],
            ),
            Table(
                "Optimal discriminator D* = p_data/(p_data + p_g)",
                ["p_data", "p_g", "D*"],
                [
                    [pd, pg, num(gen.gan_discriminator_optimum(pd, pg))]
                    for pd, pg in ((0.8, 0.2), (0.5, 0.5), (0.1, 0.3))
                ],
            ),
        ],
        notes=[
            (
                "Both losses push the same way (make D call fakes real); only the non-saturating one does so "
                "strongly when the generator is bad."
            ),
            "With D = D*, the minimax objective becomes 2·JSD(p_data ‖ p_g) − log 4.",
        ],
    )
