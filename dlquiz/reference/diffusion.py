"""Denoising diffusion (DDPM, Ho et al., 2020): noise schedules, the forward process q(xₜ | x₀), the
ε-prediction training target, one reverse sampling step, and classifier-free guidance.

The forward process adds Gaussian noise in T small steps, xₜ = √(1 − βₜ)·xₜ₋₁ + √βₜ·ε, until
the data is pure noise. Its marginal has a closed form, so training needs no simulation: pick t,
noise x₀ in one shot, and teach a network to predict the noise that was added. Sampling runs the
learned reverse process for all T steps, which is why diffusion sampling is slow.
"""

import numpy as np

__all__ = [
    "linear_beta_schedule",
    "cosine_beta_schedule",
    "alpha_bar",
    "q_sample",
    "diffusion_loss",
    "predict_x0",
    "ddpm_step",
    "classifier_free_guidance",
]


def linear_beta_schedule(num_steps, beta_start=1e-4, beta_end=0.02):
    """DDPM's schedule: βₜ rising linearly from β_start to β_end over T steps (T = 1000 in the paper).

    Parameters
    ----------
    num_steps : int
        T.
    beta_start, beta_end : float

    Returns
    -------
    ndarray, shape (T,)
        β₁ … β_T (index 0 holds β₁).
    """
    return np.linspace(beta_start, beta_end, num_steps)


def cosine_beta_schedule(num_steps, s=0.008, max_beta=0.999):
    """The cosine schedule of Nichol & Dhariwal (2021), defined through ᾱ.

        f(t) = cos²(((t/T + s)/(1 + s)) · π/2),   ᾱₜ = f(t)/f(0)
        βₜ = min(1 − ᾱₜ/ᾱₜ₋₁, max_beta)

    ᾱ falls slowly at both ends, so fewer steps are wasted on nearly clean or nearly pure-noise
    images than with the linear schedule, whose ᾱ is almost 0 long before t = T.

    Parameters
    ----------
    num_steps : int
    s : float, default 0.008
        Offset that keeps β₁ from being tiny.
    max_beta : float, default 0.999
        Clip that avoids a singular last step.

    Returns
    -------
    ndarray, shape (T,)
    """
    t = np.arange(num_steps + 1) / num_steps
    f = np.cos((t + s) / (1 + s) * np.pi / 2) ** 2
    return np.minimum(1 - f[1:] / f[:-1], max_beta)


def alpha_bar(betas):
    """Cumulative signal fraction ᾱₜ = Πₛ≤ₜ (1 − βₛ): the share of x₀'s variance left at step t.

    Parameters
    ----------
    betas : ndarray, shape (T,)

    Returns
    -------
    ndarray, shape (T,)
        ᾱ₁ … ᾱ_T.
    """
    return np.cumprod(1.0 - np.asarray(betas, dtype=float))


def q_sample(x0, t, noise, betas):
    """Jump straight to step t of the forward process: a sample of q(xₜ | x₀).

        xₜ = √ᾱₜ · x₀ + √(1 − ᾱₜ) · ε,    ε ~ N(0, I)

    It follows from composing the one-step Gaussians: after t steps the signal is scaled by
    √(Π(1 − βₛ)) and the noise variances add up to 1 − ᾱₜ. Signal-to-noise ratio ᾱₜ/(1 − ᾱₜ).

    Parameters
    ----------
    x0 : ndarray, shape (N, ...)
        Clean data.
    t : int or ndarray of int, shape (N,)
        Steps 1 … T (one per example, or one for all).
    noise : ndarray, shape of x0
        ε, standard normal (pass it in, so the training target is known).
    betas : ndarray, shape (T,)

    Returns
    -------
    ndarray, shape of x0
    """
    ab = alpha_bar(betas)[np.asarray(t) - 1]
    ab = np.reshape(ab, np.shape(ab) + (1,) * (np.ndim(x0) - np.ndim(ab)))
    return np.sqrt(ab) * x0 + np.sqrt(1.0 - ab) * noise


def diffusion_loss(eps_pred, noise):
    """DDPM's simplified objective: the mean squared error between predicted and true noise.

        L = mean ‖ε − ε_θ(xₜ, t)‖²       (t uniform in 1 … T, ε ~ N(0, I))

    A reweighted form of the variational bound; predicting ε (rather than x₀ or the mean) gave the
    best samples in the paper.

    Parameters
    ----------
    eps_pred, noise : ndarray, same shape

    Returns
    -------
    float
    """
    return float(np.mean((np.asarray(eps_pred) - np.asarray(noise)) ** 2))


def predict_x0(x_t, eps, t, betas):
    """Invert the forward jump for a given noise estimate: x̂₀ = (xₜ − √(1 − ᾱₜ)·ε) / √ᾱₜ.

    Parameters
    ----------
    x_t : ndarray
    eps : ndarray, shape of x_t
    t : int
    betas : ndarray, shape (T,)

    Returns
    -------
    ndarray, shape of x_t
    """
    ab = alpha_bar(betas)[t - 1]
    return (x_t - np.sqrt(1.0 - ab) * eps) / np.sqrt(ab)


def ddpm_step(x_t, eps_pred, t, betas, rng):
    """One reverse (sampling) step of DDPM, from xₜ to xₜ₋₁.

        μ = (1/√αₜ)·(xₜ − βₜ/√(1 − ᾱₜ) · ε̂),   αₜ = 1 − βₜ
        xₜ₋₁ = μ + σₜ·z,  σₜ² = βₜ,  z ~ N(0, I)       (no noise added at t = 1)

    Generating one sample takes T network evaluations (1000 in DDPM); DDIM and distilled samplers
    take tens or a few.

    Parameters
    ----------
    x_t : ndarray
    eps_pred : ndarray, shape of x_t
        The network's ε̂ at (xₜ, t).
    t : int
        1 … T.
    betas : ndarray, shape (T,)
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape of x_t
    """
    beta = betas[t - 1]
    ab = alpha_bar(betas)[t - 1]
    mean = (x_t - beta / np.sqrt(1.0 - ab) * eps_pred) / np.sqrt(1.0 - beta)
    if t == 1:
        return mean
    return mean + np.sqrt(beta) * rng.standard_normal(np.shape(x_t))


def classifier_free_guidance(eps_cond, eps_uncond, guidance_scale):
    """Classifier-free guidance (Ho & Salimans, 2022): extrapolate from the unconditional prediction.

        ε̃ = ε_uncond + w·(ε_cond − ε_uncond)

    w = 1 is the plain conditional model; w > 1 (7.5 by default in Stable Diffusion v1) follows the
    condition more closely at the cost of diversity. One network, trained with the condition
    dropped some of the time, provides both predictions.

    Parameters
    ----------
    eps_cond, eps_uncond : ndarray, same shape
    guidance_scale : float
        w.

    Returns
    -------
    ndarray
    """
    return eps_uncond + guidance_scale * (eps_cond - eps_uncond)
