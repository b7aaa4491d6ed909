"""Pieces of generative models: the VAE's KL term and reparameterisation, the GAN's objectives.

What this module teaches: the two formulas interviewers ask to derive. A VAE maximises the ELBO,
E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)); with a diagonal Gaussian encoder q = N(μ, σ²) and prior N(0, I)
the KL term has the closed form ½Σ(σ² + μ² − 1 − log σ²), and sampling z = μ + σ⊙ε with ε ~ N(0, I)
(the reparameterisation trick) lets gradients flow into μ and σ. A GAN's discriminator, for a fixed
generator, is best at D*(x) = p_data(x) / (p_data(x) + p_g(x)); the generator's original loss
log(1 − D(G(z))) saturates when D confidently rejects fakes, so in practice it minimises −log D(G(z)).

Encoders output log σ² ("log_var") rather than σ, so σ² = e^(log σ²) is always positive.
"""

import numpy as np

from dlquiz.reference.activations import sigmoid, softplus

__all__ = ["gaussian_kl", "gaussian_kl_grad", "reparameterize", "gan_discriminator_optimum", "gan_generator_losses"]


def gaussian_kl(mu, log_var):
    """KL divergence of a diagonal Gaussian from the standard normal, summed over the last axis.

    KL(N(μ, σ²) ‖ N(0, I)) = ½ Σⱼ (σⱼ² + μⱼ² − 1 − log σⱼ²)

    It is 0 exactly when μ = 0 and σ = 1. (PyTorch's VAE example writes the same quantity as
    −½ Σ(1 + log σ² − μ² − σ²) and also sums over the batch; here each row keeps its own value.)

    Parameters
    ----------
    mu : array_like, shape (..., Z)
        Means μ.
    log_var : array_like, same shape as mu
        Log-variances log σ².

    Returns
    -------
    float or ndarray, shape (...)
        One KL value per leading index (a float for a single vector).
    """
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1.0 - log_var, axis=-1)


def gaussian_kl_grad(mu, log_var):
    """Gradients of :func:`gaussian_kl` with respect to μ and log σ².

    ∂KL/∂μ = μ,  ∂KL/∂(log σ²) = ½(σ² − 1)

    Parameters
    ----------
    mu : array_like, shape (..., Z)
    log_var : array_like, same shape

    Returns
    -------
    dmu : ndarray, shape of mu
    dlog_var : ndarray, shape of log_var
    """
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    return mu.copy(), 0.5 * (np.exp(log_var) - 1.0)


def reparameterize(mu, log_var, rng):
    """Reparameterised sample z = μ + σ ⊙ ε, σ = e^(½ log σ²), ε ~ N(0, I).

    The randomness sits in ε, which does not depend on the parameters, so z is a differentiable
    function of μ and log σ² (∂z/∂μ = 1, ∂z/∂(log σ²) = ½σ⊙ε).

    Parameters
    ----------
    mu : array_like, any shape
    log_var : array_like, same shape
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, same shape as mu
        One sample z ~ N(μ, σ²).
    """
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    eps = rng.standard_normal(mu.shape)
    return mu + np.exp(0.5 * log_var) * eps


def gan_discriminator_optimum(p_data, p_g):
    """Optimal discriminator for a fixed generator, D*(x) = p_data(x) / (p_data(x) + p_g(x)).

    Pointwise maximiser of a·log D + b·log(1 − D) (a = p_data, b = p_g): setting a/D = b/(1 − D)
    gives D = a/(a + b). When p_g = p_data it is ½ everywhere. Undefined (NaN) where both densities
    are 0.

    Parameters
    ----------
    p_data, p_g : array_like, same shape
        Density values (≥ 0) of the data and the generator at the same points.

    Returns
    -------
    ndarray, same shape
        Values in [0, 1].
    """
    p_data = np.asarray(p_data, dtype=float)
    return p_data / (p_data + np.asarray(p_g, dtype=float))


def gan_generator_losses(d_logit):
    """The two generator losses as functions of the discriminator's logit a on a fake, D = σ(a).

    saturating      (original minimax):  log(1 − D) = −softplus(a),   ∂/∂a = −σ(a)
    non-saturating  (used in practice):  −log D     = softplus(−a),   ∂/∂a = σ(a) − 1

    The generator minimises either. Early in training D rejects fakes (a ≪ 0): the saturating
    gradient −σ(a) → 0 vanishes while the non-saturating one → −1 stays strong. Both are computed
    stably for any a.

    Parameters
    ----------
    d_logit : array_like, any shape
        Discriminator logits a on generated samples.

    Returns
    -------
    dict of ndarrays, each the shape of d_logit (element-wise, not averaged)
        "saturating", "non_saturating": the losses; "saturating_grad", "non_saturating_grad": their
        derivatives with respect to the logit a.
    """
    a = np.asarray(d_logit, dtype=float)
    s = sigmoid(a)
    return {
        "saturating": -softplus(a),
        "non_saturating": softplus(-a),
        "saturating_grad": -s,
        "non_saturating_grad": s - 1.0,
    }
