"""He initialisation.

A ReLU zeroes half of its inputs, so E[ReLU(z)²] = Var(z)/2: to keep the
variance of the activations level through ReLU layers, He et al. double
Xavier's forward condition, Var(w) = 2 / fan_in. Weights use the ``x @ W``
layout, (fan_in, fan_out).
"""

import numpy as np


def he_normal(fan_in, fan_out, rng):
    """W ~ N(0, σ²) with σ = √(2 / fan_in).

    Draw every random number from ``rng`` (the same seed must give the same
    weights).

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float64, shape (fan_in, fan_out)
        As nn.init.kaiming_normal_(w, nonlinearity="relu") draws them (fan_in
        mode), transposed.
    """
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def he_uniform(fan_in, fan_out, rng):
    """W ~ U(−a, a) with a = √(6 / fan_in), so that Var(W) = a²/3 = 2 / fan_in.

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float64, shape (fan_in, fan_out)
        As nn.init.kaiming_uniform_(w, nonlinearity="relu") draws them,
        transposed.
    """
    a = np.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))
