"""Xavier initialisation.

Glorot and Bengio chose the variance of the initial weights so that the
variance of the activations (forward, fan_in·Var(w) = 1) and of the gradients
(backward, fan_out·Var(w) = 1) both stay level from layer to layer,
compromising on Var(w) = 2 / (fan_in + fan_out). It suits tanh and sigmoid
layers. Weights use the ``x @ W`` layout, (fan_in, fan_out); nn.Linear.weight
is the transpose.
"""

import numpy as np


def xavier_uniform(fan_in, fan_out, rng):
    """W ~ U(−a, a), a = √(6 / (fan_in + fan_out)).

    Then Var(W) = a²/3 = 2 / (fan_in + fan_out).

    Draw every random number from ``rng`` (the same seed must give the same
    weights).

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float64, shape (fan_in, fan_out)
        As nn.init.xavier_uniform_ (gain 1) draws them, transposed.
    """
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_normal(fan_in, fan_out, rng):
    """W ~ N(0, σ²) with σ = √(2 / (fan_in + fan_out)).

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float64, shape (fan_in, fan_out)
        As nn.init.xavier_normal_ (gain 1) draws them, transposed.
    """
    return rng.normal(
        0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out)
    )
