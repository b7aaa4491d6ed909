"""Weight initialisation: Xavier (Glorot) and He (Kaiming).

What this module teaches: why the scale of the initial weights matters. A unit of a dense layer
computes z = Σᵢ wᵢxᵢ over fan_in inputs, so Var(z) = fan_in·Var(w)·E[x²]. Xavier keeps the variance of
activations (forward, fan_in·Var(w) = 1) and of gradients (backward, fan_out·Var(w) = 1) balanced by
taking the compromise Var(w) = 2/(fan_in + fan_out). Its derivation assumes zero-mean units with slope 1
at 0, which suits tanh; sigmoid has σ(0) = 0.5 and σ′(0) = ¼, so with Xavier its gradients still shrink
about 4× per layer. ReLU zeroes half of its inputs, E[relu(z)²] = ½Var(z), so He doubles the variance:
Var(w) = 2/fan_in. For a convolution, fan_in = C_in·K² for a K×K kernel.

A uniform U(−a, a) has variance a²/3, so a uniform initialiser with variance v uses a = √(3v).

All initialisers return weights in the ``x @ W`` layout, shape (fan_in, fan_out); PyTorch's
``nn.Linear.weight`` is the transpose. Note that ``nn.Linear``'s own default is U(±1/√fan_in), not He.
"""

import numpy as np

__all__ = [
    "xavier_std",
    "xavier_bound",
    "he_std",
    "he_bound",
    "xavier_uniform",
    "xavier_normal",
    "he_normal",
    "he_uniform",
]


def xavier_std(fan_in, fan_out):
    """Standard deviation of Xavier initialisation, σ = √(2 / (fan_in + fan_out)).

    Parameters
    ----------
    fan_in, fan_out : int
        Number of inputs and outputs of the layer.

    Returns
    -------
    float
    """
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


def xavier_bound(fan_in, fan_out):
    """Bound of Xavier-uniform initialisation, a = √(6 / (fan_in + fan_out)) = √3·σ.

    Parameters
    ----------
    fan_in, fan_out : int

    Returns
    -------
    float
    """
    return float(np.sqrt(6.0 / (fan_in + fan_out)))


def he_std(fan_in):
    """Standard deviation of He initialisation for ReLU, σ = √(2 / fan_in).

    Parameters
    ----------
    fan_in : int

    Returns
    -------
    float
    """
    return float(np.sqrt(2.0 / fan_in))


def he_bound(fan_in):
    """Bound of He-uniform initialisation, a = √(6 / fan_in) = √3·σ.

    Parameters
    ----------
    fan_in : int

    Returns
    -------
    float
    """
    return float(np.sqrt(6.0 / fan_in))


def xavier_uniform(fan_in, fan_out, rng):
    """Xavier/Glorot uniform: W ~ U(−a, a), a = √(6 / (fan_in + fan_out)), so Var(W) = 2/(fan_in + fan_out).

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (fan_in, fan_out)
        Like ``nn.init.xavier_uniform_`` (gain 1), transposed to the x @ W layout.
    """
    a = xavier_bound(fan_in, fan_out)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_normal(fan_in, fan_out, rng):
    """Xavier/Glorot normal: W ~ N(0, 2 / (fan_in + fan_out)).

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (fan_in, fan_out)
        Like ``nn.init.xavier_normal_`` (gain 1).
    """
    return rng.normal(0.0, xavier_std(fan_in, fan_out), size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, rng):
    """He/Kaiming normal for ReLU: W ~ N(0, 2 / fan_in).

    A plain (untruncated) normal, as ``nn.init.kaiming_normal_(nonlinearity="relu")`` draws. (Keras'
    ``he_normal`` draws a truncated normal and rescales it so the std is still √(2/fan_in).)

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (fan_in, fan_out)
    """
    return rng.normal(0.0, he_std(fan_in), size=(fan_in, fan_out))


def he_uniform(fan_in, fan_out, rng):
    """He/Kaiming uniform for ReLU: W ~ U(−a, a), a = √(6 / fan_in), so Var(W) = 2/fan_in.

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (fan_in, fan_out)
        Like ``nn.init.kaiming_uniform_(nonlinearity="relu")``, transposed.
    """
    a = he_bound(fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))
