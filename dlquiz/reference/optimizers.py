"""Gradient-based optimizers, gradient clipping and a Newton step, with PyTorch's update rules.

Every optimizer is a small class: build it with its hyper-parameters, then call
``opt.step(params, grads)`` once per iteration. ``params`` and ``grads`` are dicts mapping a name to
an array; ``step`` updates each ``params[name]`` in place and keeps its own per-name state (momentum
buffers, moment estimates, step counts) between calls. The numbers match ``torch.optim`` after any
number of steps.
"""

import math

import numpy as np

__all__ = [
    "SGD",
    "Adagrad",
    "RMSProp",
    "Adam",
    "AdamW",
    "Lion",
    "clip_grad_norm",
    "clip_grad_value",
    "newton_step",
    "adam_uncorrected_step_ratio",
]


def _apply(params, key, new_value):
    """Store ``new_value`` in ``params[key]``, writing into the existing array when possible.

    Writing in place keeps any outside reference to the parameter array (say, a layer's weight)
    pointing at the updated values, as ``torch.optim`` does.
    """
    old = params[key]
    if isinstance(old, np.ndarray) and old.flags.writeable and old.dtype.kind == "f":
        old[...] = new_value
    else:
        params[key] = np.asarray(new_value, dtype=np.float64)


class SGD:
    """Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay.

    The update, PyTorch's (no dampening), for each parameter p with gradient g:

        g ← g + λ·p                         (weight decay λ)
        b ← μ·b + g,  with b₁ = g           (momentum μ; the first buffer is the gradient itself)
        d ← g + μ·b  (Nesterov)   or   d ← b  (classical)
        p ← p − η·d

    With μ = 0 this is plain gradient descent p ← p − η·g. Note the form: ``b`` accumulates raw
    gradients and η multiplies it afterwards, so for a constant gradient the step tends to
    η·g/(1 − μ), ten times the plain step for μ = 0.9.

    Parameters
    ----------
    lr : float
        Learning rate η.
    momentum : float, default 0.0
        Momentum factor μ.
    nesterov : bool, default False
        Use Nesterov momentum; needs ``momentum > 0``.
    weight_decay : float, default 0.0
        L2 coefficient λ, added to the gradient as λ·p (the gradient of (λ/2)‖p‖²).

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> SGD(lr=0.1).step(params, {"w": np.array([2.0])})
    >>> params["w"]
    array([0.8])
    """

    def __init__(self, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum needs momentum > 0")
        self.lr = lr
        self.momentum = momentum
        self.nesterov = nesterov
        self.weight_decay = weight_decay
        self.buffers = {}

    def step(self, params, grads):
        """Apply one update to every ``params[k]`` using ``grads[k]`` (arrays of equal shapes)."""
        for key, p in params.items():
            g = grads[key] + self.weight_decay * p
            if self.momentum:
                if key in self.buffers:
                    self.buffers[key] = self.momentum * self.buffers[key] + g
                else:
                    self.buffers[key] = np.array(g, dtype=np.float64)
                buf = self.buffers[key]
                g = g + self.momentum * buf if self.nesterov else buf
            _apply(params, key, p - self.lr * g)


class Adagrad:
    """AdaGrad: each parameter's step is divided by the root of its summed squared gradients.

        s ← s + g²
        p ← p − η·g / (√s + ε)

    As in PyTorch, ε is added **outside** the square root and s starts at 0. Because s only grows,
    the effective learning rate η/√s keeps shrinking: for a constant gradient g the t-th step is
    η·sign(g)/√t (for |g| ≫ ε).

    Parameters
    ----------
    lr : float, default 0.01
        Learning rate η.
    eps : float, default 1e-10
        ε, added to √s.
    """

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.sums = {}

    def step(self, params, grads):
        """Apply one update to every ``params[k]`` using ``grads[k]``."""
        for key, p in params.items():
            g = grads[key]
            self.sums[key] = self.sums.get(key, 0.0) + g * g
            _apply(params, key, p - self.lr * g / (np.sqrt(self.sums[key]) + self.eps))


class RMSProp:
    """RMSProp: divide the step by the root of an exponential moving average of squared gradients.

        v ← α·v + (1 − α)·g²
        p ← p − η·g / (√v + ε)

    PyTorch's convention: ε sits **outside** the square root (some textbooks and TensorFlow 1 put it
    inside, √(v + ε), which floors the denominator at √ε = 1e-4 instead of 1e-8). v starts at 0 and
    is not bias-corrected, so the first step is η·g/(√(1−α)·|g|) ≈ 10η for α = 0.99.

    Parameters
    ----------
    lr : float, default 0.01
        Learning rate η.
    alpha : float, default 0.99
        Decay α of the moving average.
    eps : float, default 1e-8
        ε, added to √v.
    """

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.square_avgs = {}

    def step(self, params, grads):
        """Apply one update to every ``params[k]`` using ``grads[k]``."""
        for key, p in params.items():
            g = grads[key]
            v = self.alpha * self.square_avgs.get(key, 0.0) + (1 - self.alpha) * g * g
            self.square_avgs[key] = v
            _apply(params, key, p - self.lr * g / (np.sqrt(v) + self.eps))


class Adam:
    """Adam: bias-corrected moving averages of the gradient and of its square.

    For step t = 1, 2, … (counted per parameter):

        g ← g + λ·p                         (weight_decay λ: plain L2, it goes through the moments)
        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
        p ← p − η·m̂ / (√v̂ + ε)

    m and v start at 0, so without the corrections they are biased toward 0 early on; at t = 1,
    m̂ = g and v̂ = g², so every parameter moves by ≈ η·sign(g). Weight decay here is L2 added to
    the gradient (PyTorch's ``Adam(weight_decay=λ)``), which the adaptive denominator then
    rescales; see :class:`AdamW` for the decoupled form.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate η.
    betas : tuple of float, default (0.9, 0.999)
        Decays (β₁, β₂) of the first and second moment averages.
    eps : float, default 1e-8
        ε, added to √v̂ (outside the square root).
    weight_decay : float, default 0.0
        L2 coefficient λ added to the gradient.
    amsgrad : bool, default False
        AMSGrad (Reddi et al., 2018): divide by the largest v seen so far, v_max ← max(v_max, v), instead
        of the current v, so a burst of large gradients is not forgotten. PyTorch's form:
        p ← p − η·m̂ / (√v_max / √(1 − β₂ᵗ) + ε).
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.amsgrad = amsgrad
        self.state = {}

    def _adam_update(self, key, p, g):
        """Advance the moments of ``key`` with gradient ``g`` and return the new parameter value."""
        beta1, beta2 = self.betas
        m, v, t, *kept = self.state.get(key, (0.0, 0.0, 0))  # (m, v, t), and v_max with amsgrad
        t += 1
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = np.maximum(kept[0] if kept else 0.0, v) if self.amsgrad else v
        self.state[key] = (m, v, t, v_max) if self.amsgrad else (m, v, t)
        m_hat = m / (1 - beta1**t)
        root_v_hat = np.sqrt(v_max) / math.sqrt(1 - beta2**t)
        return p - self.lr * m_hat / (root_v_hat + self.eps)

    def step(self, params, grads):
        """Apply one update to every ``params[k]`` using ``grads[k]``."""
        for key, p in params.items():
            g = grads[key] + self.weight_decay * p
            _apply(params, key, self._adam_update(key, p, g))


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), as in ``torch.optim.AdamW``.

        p ← p·(1 − η·λ)          (decay of the current weights, scaled by the learning rate)
        then the Adam step of :class:`Adam` on the raw gradient g (no λ·p added to g)

    Because the decay skips the adaptive denominator √v̂ + ε, every weight shrinks by the same
    factor; with zero gradients the weights follow θₜ = θ₀·(1 − η·λ)ᵗ. Adam's L2 ``weight_decay``
    instead adds λ·p to g, where it is divided by √v̂, so weights with large gradients barely decay.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate η.
    betas : tuple of float, default (0.9, 0.999)
        Decays (β₁, β₂) of the moment averages.
    eps : float, default 1e-8
        ε, added to √v̂.
    weight_decay : float, default 0.01
        Decoupled decay coefficient λ (PyTorch's default 0.01).
    amsgrad : bool, default False
        Divide by the largest v seen so far, as in :class:`Adam`.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def step(self, params, grads):
        """Apply one update to every ``params[k]`` using ``grads[k]``."""
        for key, p in params.items():
            decayed = p * (1 - self.lr * self.weight_decay)
            _apply(params, key, self._adam_update(key, decayed, grads[key]))


class Lion:
    """Lion (Chen et al., 2023): step by the sign of an interpolation of the momentum and the gradient.

        c = β₁·m + (1 − β₁)·g
        p ← p·(1 − η·λ) − η·sign(c)        (weight decay decoupled, as in AdamW)
        m ← β₂·m + (1 − β₂)·g              (updated after the step, with its own β₂)

    One state per parameter (m) instead of Adam's two, and every coordinate moves by exactly η (apart
    from the decay): the paper uses a learning rate 3–10× smaller than AdamW's, and λ that much larger.
    Not in ``torch.optim``; this follows the paper's algorithm, with its defaults.

    Parameters
    ----------
    lr : float, default 1e-4
        Learning rate η.
    betas : tuple of float, default (0.9, 0.99)
        β₁ mixes momentum and gradient for the step; β₂ updates the momentum.
    weight_decay : float, default 0.0
        Decoupled decay coefficient λ.
    """

    def __init__(self, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        self.lr = lr
        self.betas = betas
        self.weight_decay = weight_decay
        self.state = {}

    def step(self, params, grads):
        """Apply one update to every ``params[k]`` using ``grads[k]``."""
        beta1, beta2 = self.betas
        for key, p in params.items():
            g = grads[key]
            m = self.state.get(key, 0.0)
            direction = np.sign(beta1 * m + (1 - beta1) * g)
            self.state[key] = beta2 * m + (1 - beta2) * g
            _apply(params, key, p * (1 - self.lr * self.weight_decay) - self.lr * direction)


def clip_grad_norm(grads, max_norm):
    """Rescale all gradients together so that their global L2 norm is at most ``max_norm``.

        ‖g‖ = √(Σₖ Σᵢ gₖᵢ²)                  (one norm over every array in ``grads``)
        gₖ ← gₖ · min(1, c / (‖g‖ + 10⁻⁶))

    The direction of the full gradient is kept; only its length changes. As in
    ``torch.nn.utils.clip_grad_norm_``, the 10⁻⁶ guards against division by zero, so a clipped
    gradient ends up a hair under c.

    Parameters
    ----------
    grads : dict of str to ndarray
        Gradients, modified in place.
    max_norm : float
        The threshold c.

    Returns
    -------
    float
        The global norm ‖g‖ **before** clipping (useful for logging exploding gradients).
    """
    total_norm = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values()))
    scale = min(1.0, max_norm / (total_norm + 1e-6))
    for key, g in grads.items():
        _apply(grads, key, g * scale)
    return total_norm


def clip_grad_value(grads, clip_value):
    """Clip every gradient component to the interval [−c, c], in place.

        gᵢ ← min(max(gᵢ, −c), c)

    Unlike :func:`clip_grad_norm` this acts per component, so it can change the gradient's
    direction. Equivalent to ``torch.nn.utils.clip_grad_value_``.

    Parameters
    ----------
    grads : dict of str to ndarray
        Gradients, modified in place.
    clip_value : float
        The bound c > 0.

    Returns
    -------
    None
    """
    for key, g in grads.items():
        _apply(grads, key, np.clip(g, -clip_value, clip_value))


def newton_step(theta, grad, hessian):
    """One Newton step: jump to the minimum of the local quadratic model.

    Minimising L(θ + Δ) ≈ L + gᵀΔ + ½ΔᵀHΔ over Δ gives HΔ = −g, so

        θ' = θ − H⁻¹·g

    (solved as a linear system, not by forming H⁻¹). On a quadratic with positive-definite H this
    lands on the minimum in one step whatever the conditioning.

    Parameters
    ----------
    theta : ndarray, shape (n,)
        Current parameters θ.
    grad : ndarray, shape (n,)
        Gradient g = ∂L/∂θ at θ.
    hessian : ndarray, shape (n, n)
        Hessian H, Hᵢⱼ = ∂²L/∂θᵢ∂θⱼ at θ.

    Returns
    -------
    ndarray, shape (n,)
        The new parameters θ'.
    """
    return theta - np.linalg.solve(hessian, grad)


def adam_uncorrected_step_ratio(t, betas=(0.9, 0.999)):
    """How many times larger Adam's step is at step t if the bias correction is left out.

    For a constant gradient (ε → 0) the moments are mₜ = (1 − β₁ᵗ)·g and vₜ = (1 − β₂ᵗ)·g², so

        step without correction / correct step = (mₜ/√vₜ) / (m̂ₜ/√v̂ₜ) = (1 − β₁ᵗ) / √(1 − β₂ᵗ)

    which is 0.1/√0.001 ≈ 3.16 at t = 1, peaks near 6.6 around t ≈ 12 and tends to 1 slowly.

    Parameters
    ----------
    t : int or ndarray
        Step number(s), starting at 1.
    betas : tuple of float, default (0.9, 0.999)
        Adam's (β₁, β₂).

    Returns
    -------
    float or ndarray
        The ratio, same shape as ``t``.
    """
    beta1, beta2 = betas
    t = np.asarray(t, dtype=np.float64)
    return ((1 - beta1**t) / np.sqrt(1 - beta2**t))[()]
