"""Checks for the optimizer exercises: SGD with momentum, RMSProp, Adam, AdamW, clipping by global norm.

Each step is a pure function of the state. The expected values come from the reference optimizer
classes (which match torch.optim to 1e-9 over any number of steps), with their state set to the state
the learner's function is given; the six-step trajectories feed each call the reference's state
before that step, so a mistake is reported at the first step where it shows.
"""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import Call, compare_case, sequence_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.optimizers import SGD, Adam, AdamW, RMSProp, clip_grad_norm

# --------------------------------------------------------------------------- the reference, one step at a time


def _sgd(p, g, buf, lr, momentum=0.9, weight_decay=0.0, nesterov=False):
    opt = SGD(lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay)
    params = {"p": np.array(p, dtype=float)}
    if momentum:
        opt.buffers["p"] = np.array(buf, dtype=float)
    opt.step(params, {"p": g})
    buf_new = opt.buffers["p"] if momentum else g + weight_decay * p
    return params["p"], buf_new


def _rmsprop(p, g, v, lr=0.01, alpha=0.99, eps=1e-8):
    opt = RMSProp(lr, alpha=alpha, eps=eps)
    opt.square_avgs["p"] = np.array(v, dtype=float)
    params = {"p": np.array(p, dtype=float)}
    opt.step(params, {"p": g})
    return params["p"], opt.square_avgs["p"]


def _adam_like(cls, p, g, m, v, t, **hyper):
    opt = cls(**hyper)
    opt.state["p"] = (np.array(m, dtype=float), np.array(v, dtype=float), t - 1)
    params = {"p": np.array(p, dtype=float)}
    opt.step(params, {"p": g})
    m_new, v_new, _ = opt.state["p"]
    return params["p"], m_new, v_new


def _adam(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_like(Adam, p, g, m, v, t, lr=lr, betas=(beta1, beta2), eps=eps)


def _adamw(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    return _adam_like(AdamW, p, g, m, v, t, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)


def _trajectory(step, function, state_names, p, grads, state, extra=None, kwargs=None):
    """Six teacher-forced steps: the calls (each given the reference's state before it) and their results.

    ``extra`` are further positional arguments (SGD's lr), ``kwargs`` keyword arguments.
    """
    calls, expected = [], []
    for t, g in enumerate(grads, start=1):
        args = {
            "p": p,
            "g": g,
            **dict(zip(state_names, state, strict=True)),
            **({"t": t} if "m" in state_names else {}),
            **(extra or {}),
        }
        result = step(**args, **(kwargs or {}))
        calls.append(Call(function, args, dict(kwargs or {})))
        expected.append(result)
        p, state = result[0], result[1:]
    return calls, expected


# --------------------------------------------------------------------------- SGD with momentum


def _sgd_cases(rng):
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.5, -1.0])
    zeros = np.zeros(3)
    buf = np.array([0.2, -0.1, 0.4])
    pr, grads = rng.normal(0, 1, (2, 3)), [rng.normal(0, 1, (2, 3)) for _ in range(6)]
    calls, expected = _trajectory(_sgd, "sgd_momentum_step", ["buf"], pr, grads, [np.zeros((2, 3))], {"lr": 0.1})
    names = ("p_new", "buf_new")

    def case(name, args, hint="", **kwargs):
        return compare_case(
            name, "sgd_momentum_step", args, _sgd(**args, **kwargs), kwargs=kwargs, names=names, hint=hint
        )

    return [
        case("the first step (buffer at zero)", {"p": p, "g": g, "buf": zeros, "lr": 0.1}),
        case(
            "a step with a buffer",
            {"p": p, "g": g, "buf": buf, "lr": 0.1},
            hint="PyTorch's buffer adds the raw gradient: buf = μ·buf + g (no 1 − μ factor), then p − lr·buf.",
        ),
        case("momentum 0: plain SGD", {"p": p, "g": g, "buf": zeros, "lr": 0.5}, momentum=0.0),
        case(
            "weight decay 0.1",
            {"p": p, "g": g, "buf": buf, "lr": 0.1},
            weight_decay=0.1,
            hint="Weight decay adds wd·p to the gradient before it enters the buffer.",
        ),
        case(
            "Nesterov",
            {"p": p, "g": g, "buf": buf, "lr": 0.1},
            nesterov=True,
            hint="Nesterov steps along g + μ·buf_new.",
        ),
        sequence_case("six steps on a 2 × 3 array", calls, expected, names),
    ]


def _sgd_wrong(*, dampen=False, lr_in_buffer=False, decay_after=False):
    def wrong(p, g, buf, lr, momentum=0.9, weight_decay=0.0, nesterov=False):
        grad = g if decay_after else g + weight_decay * p
        if lr_in_buffer:
            buf_new = momentum * buf + lr * grad
            step = grad * lr + momentum * buf_new if nesterov else buf_new
            return p - step, buf_new
        buf_new = momentum * buf + ((1 - momentum) * grad if dampen else grad)
        step = grad + momentum * buf_new if nesterov else buf_new
        p_new = p - lr * step
        return (p_new - lr * weight_decay * p if decay_after else p_new), buf_new

    return wrong


# --------------------------------------------------------------------------- RMSProp


def _rmsprop_cases(rng):
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.5, -1.0])
    v = np.array([0.3, 0.01, 0.2])
    tiny = np.array([1e-9, -2e-9, 5e-10])
    pr, grads = rng.normal(0, 1, (2, 3)), [rng.normal(0, 1, (2, 3)) for _ in range(6)]
    calls, expected = _trajectory(_rmsprop, "rmsprop_step", ["v"], pr, grads, [np.zeros((2, 3))])
    names = ("p_new", "v_new")

    def case(name, args, hint="", **kwargs):
        return compare_case(
            name, "rmsprop_step", args, _rmsprop(**args, **kwargs), kwargs=kwargs, names=names, hint=hint
        )

    return [
        case("the first step (v at zero)", {"p": p, "g": g, "v": np.zeros(3)}, lr=0.01),
        case("a step with v", {"p": p, "g": g, "v": v}, lr=0.01),
        case(
            "tiny gradients",
            {"p": p, "g": tiny, "v": np.zeros(3)},
            lr=0.01,
            hint="eps is added outside the square root, √v + eps (PyTorch); √(v + eps) floors the denominator at 1e-4.",
        ),
        case("alpha 0.9, lr 0.1", {"p": p, "g": g, "v": v}, lr=0.1, alpha=0.9),
        sequence_case("six steps on a 2 × 3 array", calls, expected, names),
    ]


def _rmsprop_wrong(*, eps_inside=False, no_square=False, swap_alpha=False):
    def wrong(p, g, v, lr=0.01, alpha=0.99, eps=1e-8):
        a = 1 - alpha if swap_alpha else alpha
        v_new = a * v + (1 - a) * (np.abs(g) if no_square else g * g)
        denominator = np.sqrt(v_new + eps) if eps_inside else np.sqrt(v_new) + eps
        return p - lr * g / denominator, v_new

    return wrong


# --------------------------------------------------------------------------- Adam and AdamW


def _adam_cases_for(step, function, decay):
    def cases(rng):
        p, g = np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.5, -1.0])
        zeros = np.zeros(3)
        m, v = np.array([0.05, -0.02, 0.1]), np.array([0.01, 0.003, 0.02])
        tiny = np.array([1e-9, -2e-9, 0.0])
        pr, grads = rounded(rng.normal(0, 1, (2, 3)), 6), [rng.normal(0, 1, (2, 3)) for _ in range(6)]
        hyper = {"weight_decay": 0.1} if decay else {}
        calls, expected = _trajectory(step, function, ["m", "v"], pr, grads, [np.zeros((2, 3))] * 2, kwargs=hyper)
        names = ("p_new", "m_new", "v_new")

        def case(name, args, hint="", **kwargs):
            return compare_case(name, function, args, step(**args, **kwargs), kwargs=kwargs, names=names, hint=hint)

        out = [
            case(
                "the first step, t = 1",
                {"p": p, "g": g, "m": zeros, "v": zeros, "t": 1},
                hint="At t = 1 the bias-corrected m̂ = g and v̂ = g², so every weight moves by about lr·sign(g). "
                "Without the corrections the first steps are 3× too large (m/√v = 0.1g/√(0.001g²)).",
            ),
            case("step t = 5 with moments", {"p": p, "g": g, "m": m, "v": v, "t": 5}),
            case("step t = 1000", {"p": p, "g": g, "m": m, "v": v, "t": 1000}),
            case(
                "tiny and zero gradients",
                {"p": p, "g": tiny, "m": zeros, "v": zeros, "t": 1},
                hint="eps goes outside the square root, √v̂ + eps; a zero gradient must give a zero step, not 0/0.",
            ),
            case(
                "other hyper-parameters",
                {"p": p, "g": g, "m": m, "v": v, "t": 3},
                lr=0.01,
                beta1=0.8,
                beta2=0.99,
                eps=1e-6,
            ),
        ]
        if decay:
            out.append(
                case(
                    "large learning rate and decay",
                    {"p": p, "g": g, "m": m, "v": v, "t": 2},
                    lr=0.1,
                    weight_decay=0.5,
                    hint="Decay first, p·(1 − lr·wd), then the Adam step on the raw gradient (PyTorch's order).",
                )
            )
            out.append(case("no decay: plain Adam", {"p": p, "g": g, "m": m, "v": v, "t": 2}, weight_decay=0.0))
        out.append(sequence_case("six steps on a 2 × 3 array", calls, expected, names))
        return out

    return cases


def _adam_wrong(
    *,
    correct=True,
    t_shift=0,
    eps_inside=False,
    swap_betas=False,
    coupled=False,
    decay_unscaled=False,
    decay_after=False,
    return_hat=False,
):
    def wrong(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        b1, b2 = (beta2, beta1) if swap_betas else (beta1, beta2)
        if coupled:
            g = g + weight_decay * p
        elif not decay_after:
            p = p * (1 - (1 if decay_unscaled else lr) * weight_decay)
        m_new = b1 * m + (1 - b1) * g
        v_new = b2 * v + (1 - b2) * g * g
        n = t + t_shift
        m_hat = m_new / (1 - b1**n) if correct else m_new
        v_hat = v_new / (1 - b2**n) if correct else v_new
        root = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        p_new = p - lr * m_hat / root
        if decay_after and not coupled:
            p_new = p_new * (1 - lr * weight_decay)
        return (p_new, m_hat, v_hat) if return_hat else (p_new, m_new, v_new)

    return wrong


def _adam_mistakes(function, decay):
    out = [
        Mistake(
            function,
            "There is no bias correction: divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ (at t = 1 the step is otherwise "
            "3× too large, and wrong for the first few hundred steps).",
            _adam_wrong(correct=False),
        ),
        Mistake(
            function,
            "The bias correction uses t + 1; t is the number of this step, starting at 1.",
            _adam_wrong(t_shift=1),
        ),
        Mistake(
            function,
            "The bias correction uses t − 1; t is the number of this step, starting at 1.",
            _adam_wrong(t_shift=-1),
        ),
        Mistake(function, "eps goes outside the square root: √v̂ + eps (PyTorch).", _adam_wrong(eps_inside=True)),
        Mistake(function, "β₁ and β₂ are swapped: β₁ (0.9) is for m, β₂ (0.999) for v.", _adam_wrong(swap_betas=True)),
        Mistake(
            function,
            "This returns the bias-corrected m̂ and v̂; return the raw m and v, the state the next step builds on "
            "(the correction is applied afresh at every step).",
            _adam_wrong(return_hat=True),
        ),
    ]
    if decay:
        out += [
            Mistake(
                function,
                "This is Adam's L2 (λ·p added to the gradient); AdamW decays the weights directly, p·(1 − lr·λ).",
                _adam_wrong(coupled=True),
            ),
            Mistake(
                function,
                "The decay is scaled by the learning rate in PyTorch: p·(1 − lr·λ), not p·(1 − λ).",
                _adam_wrong(decay_unscaled=True),
            ),
            Mistake(
                function,
                "PyTorch decays the weights before the Adam step, not after it.",
                _adam_wrong(decay_after=True),
            ),
        ]
    return tuple(out)


# --------------------------------------------------------------------------- clipping by global norm


def _clip(grads, max_norm):
    copies = {str(i): np.array(g, dtype=float) for i, g in enumerate(grads)}
    total = clip_grad_norm(copies, max_norm)
    return [copies[str(i)] for i in range(len(grads))], total


def _clip_cases(rng):
    grads = [np.array([3.0, 4.0]), np.array([[0.0, 12.0]])]
    names = ("clipped", "total_norm")

    def case(name, grads, max_norm, hint=""):
        return compare_case(
            name,
            "clip_grad_norm",
            {"grads": grads, "max_norm": max_norm},
            _clip(grads, max_norm),
            names=names,
            hint=hint,
        )

    many = [rng.normal(0, 1, s) for s in [(4, 3), (3,), (2, 2, 2)]]
    return [
        case(
            "two arrays, norm 13, max 1", grads, 1.0, hint="One norm over every array together: √(3² + 4² + 12²) = 13."
        ),
        case(
            "already short enough",
            grads,
            20.0,
            hint="Gradients shorter than max_norm come back unchanged: the scale is min(1, …).",
        ),
        case(
            "all-zero gradients",
            [np.zeros(3), np.zeros((2, 2))],
            1.0,
            hint="A zero norm must not divide by zero: scale = min(1, max_norm/(norm + 1e-6)).",
        ),
        case("three arrays of different shapes", many, 0.5),
        case("one array", [rounded(rng.normal(0, 3, 5))], 2.0),
    ]


def _clip_per_array(grads, max_norm):
    out = []
    for g in grads:
        n = np.linalg.norm(g)
        out.append(g * min(1.0, max_norm / (n + 1e-6)))
    return out, float(np.sqrt(sum(np.sum(g * g) for g in grads)))


def _clip_always(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    return [g * max_norm / (total + 1e-6) for g in grads], total


def _clip_norm_after(grads, max_norm):
    clipped, _ = _clip(grads, max_norm)
    return clipped, float(np.sqrt(sum(np.sum(g * g) for g in clipped)))


def _clip_no_sqrt(grads, max_norm):
    total = float(sum(np.sum(g * g) for g in grads))
    return [g * min(1.0, max_norm / (total + 1e-6)) for g in grads], total


SPECS = {
    "sgd-momentum": Spec(
        _sgd_cases,
        (
            Mistake(
                "sgd_momentum_step",
                "This damps the gradient, buf = μ·buf + (1 − μ)·g; PyTorch adds the raw gradient (dampening 0).",
                _sgd_wrong(dampen=True),
            ),
            Mistake(
                "sgd_momentum_step",
                "The learning rate is inside the buffer (the v = μv + lr·g form); PyTorch's buffer holds raw gradients "
                "and lr multiplies it afterwards.",
                _sgd_wrong(lr_in_buffer=True),
            ),
            Mistake(
                "sgd_momentum_step",
                "Weight decay is added to the gradient (g + wd·p) before the momentum buffer, as in PyTorch.",
                _sgd_wrong(decay_after=True),
            ),
        ),
    ),
    "rmsprop": Spec(
        _rmsprop_cases,
        (
            Mistake(
                "rmsprop_step",
                "eps goes outside the square root in PyTorch: √v + eps, not √(v + eps).",
                _rmsprop_wrong(eps_inside=True),
            ),
            Mistake("rmsprop_step", "v averages the squared gradient g², not |g|.", _rmsprop_wrong(no_square=True)),
            Mistake(
                "rmsprop_step",
                "alpha weighs the old average: v = alpha·v + (1 − alpha)·g².",
                _rmsprop_wrong(swap_alpha=True),
            ),
        ),
    ),
    "adam": Spec(_adam_cases_for(_adam, "adam_step", False), _adam_mistakes("adam_step", False)),
    "adamw": Spec(_adam_cases_for(_adamw, "adamw_step", True), _adam_mistakes("adamw_step", True)),
    "clip-grad-norm": Spec(
        _clip_cases,
        (
            Mistake(
                "clip_grad_norm",
                "Each array is clipped by its own norm; clip by one norm over all of them.",
                _clip_per_array,
            ),
            Mistake(
                "clip_grad_norm",
                "Gradients shorter than max_norm are scaled up; the scale is min(1, max_norm/norm).",
                _clip_always,
            ),
            Mistake(
                "clip_grad_norm",
                "Return the norm before clipping (it is what you log to spot exploding gradients).",
                _clip_norm_after,
            ),
            Mistake("clip_grad_norm", "The norm is the square root of the sum of squares.", _clip_no_sqrt),
        ),
    ),
}
