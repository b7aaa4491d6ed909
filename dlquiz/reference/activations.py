"""Activation functions and their derivatives.

What this module teaches: the non-linearities that sit between layers (sigmoid, tanh, the ReLU
family, GELU, softmax), the local derivative g′(z) that backpropagation multiplies in at every layer,
and how to evaluate them without overflow (stable sigmoid, max-subtraction in softmax, logsumexp).

A scalar input gives a NumPy scalar back, an array an array of the same shape.

Every ``*_grad`` takes the **pre-activation** x (not the activation's output) and returns dg/dx
element-wise, which is what autograd multiplies with the upstream gradient. At a kink the value
PyTorch's autograd uses is returned (ReLU: 0 at x = 0; leaky ReLU: the slope at x = 0).
"""

import numpy as np

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "softplus",
    "softmax",
    "log_softmax",
    "softmax_jacobian",
    "softmax_vjp",
]

_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
_GELU_CUBIC = 0.044715


def sigmoid(x):
    """Logistic sigmoid, σ(x) = 1 / (1 + e⁻ˣ), computed without overflow.

    For x ≥ 0 it evaluates 1 / (1 + e⁻ˣ); for x < 0 the equal form eˣ / (1 + eˣ). Both only ever
    exponentiate −|x|, so σ(±1000) is exactly 1 or 0 with no overflow warning.

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape as x
        Values in [0, 1] (strictly inside (0, 1) unless rounding reaches an end). Like
        ``torch.sigmoid``.
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    # [()] turns the 0-d array np.where gives for a scalar into a scalar; arrays pass through
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def sigmoid_grad(x):
    """Derivative of the sigmoid, dσ/dx = σ(x)(1 − σ(x)), evaluated at the pre-activation x.

    Its maximum is σ′(0) = ¼, which is why stacks of sigmoids shrink gradients.

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations (not σ(x)).

    Returns
    -------
    ndarray, same shape as x
        dσ/dx element-wise, in (0, ¼].
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    """Hyperbolic tangent, tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) = 2σ(2x) − 1.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape as x
        Values in [−1, 1], zero-centred (unlike σ). Like ``torch.tanh``.
    """
    return np.tanh(np.asarray(x, dtype=float))


def tanh_grad(x):
    """Derivative of tanh, d tanh/dx = 1 − tanh²(x), evaluated at the pre-activation x.

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations (not tanh(x)).

    Returns
    -------
    ndarray, same shape as x
        Values in (0, 1]; the maximum 1 is at x = 0.
    """
    t = tanh(x)
    return 1.0 - t * t


def relu(x):
    """Rectified linear unit, ReLU(x) = max(x, 0).

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape as x
        Like ``torch.relu``.
    """
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def relu_grad(x):
    """Derivative of ReLU, dReLU/dx = 1 if x > 0 else 0.

    At the kink x = 0 the derivative is undefined; like PyTorch's autograd we use 0 there.

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape as x
        1.0 where x > 0, else 0.0.
    """
    return (np.asarray(x, dtype=float) > 0).astype(float)


def leaky_relu(x, negative_slope=0.01):
    """Leaky ReLU, f(x) = x if x > 0 else a·x, with a = ``negative_slope``.

    Parameters
    ----------
    x : array_like, any shape
    negative_slope : float, default 0.01
        Slope a on the negative side (PyTorch's default).

    Returns
    -------
    ndarray, same shape as x
        Like ``F.leaky_relu(x, negative_slope)``.
    """
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, negative_slope * x)[()]


def leaky_relu_grad(x, negative_slope=0.01):
    """Derivative of leaky ReLU, f′(x) = 1 if x > 0 else a.

    At x = 0 the slope a is returned, as PyTorch's autograd does.

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations.
    negative_slope : float, default 0.01

    Returns
    -------
    ndarray, same shape as x
    """
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, negative_slope)[()]


def elu(x, alpha=1.0):
    """Exponential linear unit, ELU(x) = x if x > 0 else α(eˣ − 1).

    Parameters
    ----------
    x : array_like, any shape
    alpha : float, default 1.0
        Saturation value −α for x → −∞.

    Returns
    -------
    ndarray, same shape as x
        Like ``F.elu(x, alpha)``.
    """
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))[()]


def elu_grad(x, alpha=1.0):
    """Derivative of ELU, ELU′(x) = 1 if x > 0 else α·eˣ.

    At x = 0 this gives α (PyTorch's choice); for the default α = 1 both sides agree.

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations.
    alpha : float, default 1.0

    Returns
    -------
    ndarray, same shape as x
    """
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))[()]


def _gelu_inner(x):
    """u = √(2/π)(x + 0.044715x³), the argument of tanh in the GELU approximation."""
    return _SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3)


def gelu(x):
    """GELU, **tanh approximation**: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).

    The exact GELU is x·Φ(x) with Φ the standard normal CDF (PyTorch's default
    ``F.gelu(x)`` uses that erf form); this function equals ``F.gelu(x, approximate="tanh")``.
    The two differ by less than 10⁻³.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape as x
        For example gelu(1) ≈ 0.841192 (exact form: 0.841345).
    """
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + np.tanh(_gelu_inner(x)))


def gelu_grad(x):
    """Derivative of the tanh-approximate GELU with respect to x.

    With u = √(2/π)(x + 0.044715x³) and t = tanh(u):
    d/dx [½x(1 + t)] = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).

    Parameters
    ----------
    x : array_like, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape as x
    """
    x = np.asarray(x, dtype=float)
    t = np.tanh(_gelu_inner(x))
    du_dx = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * x**2)
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du_dx


def softplus(x):
    """Softplus, log(1 + eˣ), computed stably as max(x, 0) + log(1 + e⁻|ˣ|).

    A smooth ReLU; its derivative is σ(x). Also the building block of stable binary cross-entropy:
    −log σ(z) = softplus(−z).

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape as x
        Positive values; finite for |x| in the thousands.
    """
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softmax(x, axis=-1):
    """Softmax along ``axis``: pᵢ = e^(xᵢ) / Σⱼ e^(xⱼ), stabilised by subtracting the maximum.

    softmax(x − c) = softmax(x) for any constant c, so we use c = max x: the largest exponent is
    then e⁰ = 1 and nothing overflows even for inputs around 1000.

    Parameters
    ----------
    x : array_like, any shape
        Logits.
    axis : int, default -1
        The axis that sums to 1 (PyTorch's ``dim``).

    Returns
    -------
    ndarray, same shape as x
        Probabilities; like ``torch.softmax(x, dim=axis)``.
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """Log-softmax along ``axis``: log pᵢ = xᵢ − logsumexp(x), with logsumexp(x) = m + log Σⱼ e^(xⱼ−m).

    Computing it directly (rather than log(softmax(x))) never takes log 0, so a very unlikely class
    gets a large negative number instead of −inf.

    Parameters
    ----------
    x : array_like, any shape
        Logits.
    axis : int, default -1

    Returns
    -------
    ndarray, same shape as x
        Like ``torch.log_softmax(x, dim=axis)``.
    """
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_jacobian(x):
    """Jacobian of the softmax of one logit vector: J = diag(p) − p pᵀ, i.e. ∂pᵢ/∂xⱼ = pᵢ(δᵢⱼ − pⱼ).

    J is symmetric and J·1 = 0 (adding a constant to every logit changes nothing).

    Parameters
    ----------
    x : array_like, shape (C,)
        One vector of logits.

    Returns
    -------
    ndarray, shape (C, C)
        J[i, j] = ∂pᵢ/∂xⱼ.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"softmax_jacobian takes one logit vector of shape (C,), got shape {x.shape}")
    p = softmax(x)
    return np.diag(p) - np.outer(p, p)


def softmax_vjp(x, dout, axis=-1):
    """Backward pass of the softmax: ∂L/∂x = Jᵀ·dout = p ⊙ (dout − Σⱼ doutⱼ pⱼ).

    This is the vector–Jacobian product autograd computes; it never forms the C×C Jacobian.
    Keeping only the diagonal (dout ⊙ p(1 − p), the sigmoid rule) is a classic bug.

    Parameters
    ----------
    x : array_like, any shape
        Logits the softmax was applied to.
    dout : array_like, same shape as x
        Upstream gradient ∂L/∂p.
    axis : int, default -1
        The softmax axis.

    Returns
    -------
    ndarray, same shape as x
        ∂L/∂x.
    """
    p = softmax(x, axis=axis)
    dout = np.asarray(dout, dtype=float)
    return p * (dout - np.sum(dout * p, axis=axis, keepdims=True))
