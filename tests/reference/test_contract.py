"""The reference contract (shared/reference-contract.md), row by row.

Each test checks one row of the contract: the name exists, the parameter names and defaults the
contract shows (via ``inspect.signature``), the shape and type of the result on a small input, and
at least one independent semantic check: a value computed by hand (written out in the test), a
closed form, a plain loop written here from PyTorch's or scikit-learn's documented definition, or
finite differences computed here. Nothing is compared with the module's own output.
"""

import inspect
import math

import numpy as np
import pytest

# conv2d by its definition, one output value at a time (tests/reference/test_convolution.py)
from test_convolution import conv2d_loop

from dlquiz.reference import (
    activations,
    attention,
    convolution,
    gradcheck,
    initializers,
    layers,
    losses,
    metrics,
    normalization,
    optimizers,
    recurrent,
    regularization,
    training,
)

LN2, LN3 = math.log(2.0), math.log(3.0)


# ---- helpers ----------------------------------------------------------------------------------


def check_signature(fn, *names, **defaults):
    """``fn`` takes ``names`` first, in order, with ``defaults``; any further parameter is optional.

    Pass a name in ``defaults`` (not in ``names``) for a parameter that must have that default.
    """
    params = list(inspect.signature(fn).parameters.values())
    expected = list(names) + list(defaults)
    got = [p.name for p in params[: len(expected)]]
    assert got == expected, f"{fn.__name__}: parameters {got}, contract {expected}"
    for p in params[: len(names)]:
        assert p.default is inspect.Parameter.empty, f"{fn.__name__}: {p.name} should be required"
    for p in params[len(names) : len(expected)]:
        want = defaults[p.name]
        assert p.default is not inspect.Parameter.empty, f"{fn.__name__}: {p.name} needs a default"
        assert type(p.default) is type(want) or {type(p.default), type(want)} <= {int, float}, (
            f"{fn.__name__}: default of {p.name} is {p.default!r}, contract {want!r}"
        )
        assert p.default == want, f"{fn.__name__}: default of {p.name} is {p.default!r}, contract {want!r}"
    for p in params[len(expected) :]:
        assert p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD), (
            f"{fn.__name__}: extra parameter {p.name} must be optional"
        )


def agree(mine, ref, tol=1e-6):
    """The contract's agreement rule: max |mine − ref| / (1 + |ref|) ≤ tol, shapes equal."""
    mine = np.asarray(mine, dtype=float)
    ref = np.asarray(ref, dtype=float)
    assert mine.shape == ref.shape, f"shape {mine.shape}, expected {ref.shape}"
    err = np.max(np.abs(mine - ref) / (1.0 + np.abs(ref))) if ref.size else 0.0
    assert err <= tol, f"disagreement {err:.3g} > {tol:g}"


def is_scalar(value):
    """A scalar result: a Python/NumPy float or a 0-d array, never shape (1,)."""
    return isinstance(value, (float, np.floating)) or (isinstance(value, np.ndarray) and value.shape == ())


def fd(f, x, h=1e-6):
    """Central-difference gradient of the scalar function f at a copy of x (written here, not imported)."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


def sig(a):
    return 1.0 / (1.0 + math.exp(-a))


# ---- activations.py ---------------------------------------------------------------------------


def test_sigmoid():
    check_signature(activations.sigmoid, "x")
    assert activations.sigmoid(np.zeros((2, 3))).shape == (2, 3)
    assert activations.sigmoid(0.0) == 0.5
    assert activations.sigmoid(LN3) == pytest.approx(0.75, abs=1e-15)  # 1/(1 + 1/3)
    ends = activations.sigmoid(np.array([-1000.0, 1000.0]))
    assert np.all(np.isfinite(ends)) and ends[0] == pytest.approx(0.0, abs=1e-300) and ends[1] == 1.0


def test_sigmoid_grad_takes_the_pre_activation():
    check_signature(activations.sigmoid_grad, "x")
    assert activations.sigmoid_grad(np.zeros(4)).shape == (4,)
    # at x = ln 3: σ = 3/4, σ(1 − σ) = 3/16 (a version expecting σ(x) as input gives ln 3·(1 − ln 3) < 0)
    assert activations.sigmoid_grad(LN3) == pytest.approx(3 / 16, abs=1e-15)
    assert activations.sigmoid_grad(0.0) == 0.25


def test_tanh_and_tanh_grad():
    check_signature(activations.tanh, "x")
    check_signature(activations.tanh_grad, "x")
    assert activations.tanh(np.zeros((3, 2))).shape == (3, 2)
    # tanh(ln 2) = (2 − ½)/(2 + ½) = 0.6, 1 − 0.36 = 0.64
    assert activations.tanh(LN2) == pytest.approx(0.6, abs=1e-15)
    assert activations.tanh_grad(LN2) == pytest.approx(0.64, abs=1e-15)


def test_relu_and_relu_grad_zero_at_the_kink():
    check_signature(activations.relu, "x")
    check_signature(activations.relu_grad, "x")
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(activations.relu(x), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(activations.relu_grad(x), [0.0, 0.0, 1.0])


def test_leaky_relu():
    check_signature(activations.leaky_relu, "x", negative_slope=0.01)
    x = np.array([-2.0, 0.0, 3.0])
    agree(activations.leaky_relu(x), [-0.02, 0.0, 3.0], tol=1e-15)
    agree(activations.leaky_relu(x, negative_slope=0.2), [-0.4, 0.0, 3.0], tol=1e-15)


def test_leaky_relu_grad_is_the_slope_at_zero():
    check_signature(activations.leaky_relu_grad, "x", negative_slope=0.01)
    x = np.array([-2.0, 0.0, 3.0])
    agree(activations.leaky_relu_grad(x), [0.01, 0.01, 1.0], tol=1e-15)
    agree(activations.leaky_relu_grad(x, negative_slope=0.2), [0.2, 0.2, 1.0], tol=1e-15)


def test_elu():
    check_signature(activations.elu, "x", alpha=1.0)
    x = np.array([-LN2, 0.0, 3.0])
    agree(activations.elu(x), [-0.5, 0.0, 3.0], tol=1e-15)  # e^(−ln 2) − 1 = −½
    agree(activations.elu(x, alpha=2.0), [-1.0, 0.0, 3.0], tol=1e-15)


def test_gelu_is_the_tanh_approximation():
    check_signature(activations.gelu, "x")
    assert activations.gelu(np.zeros((2, 2))).shape == (2, 2)
    for v in (-2.0, -0.5, 1.0, 3.0):
        approx = 0.5 * v * (1 + math.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v**3)))
        assert activations.gelu(v) == pytest.approx(approx, rel=1e-12, abs=1e-15)
    exact_at_1 = 0.5 * (1 + math.erf(1 / math.sqrt(2)))
    assert abs(activations.gelu(1.0) - exact_at_1) > 1e-4  # not the erf form
    assert "tanh" in activations.gelu.__doc__ and "approx" in activations.gelu.__doc__


def test_softmax_stable_and_along_axis():
    check_signature(activations.softmax, "x", axis=-1)
    # e^0 : e^ln2 : e^ln5 = 1 : 2 : 5, shifted by 1000
    x = np.array([0.0, LN2, math.log(5.0)]) + 1000.0
    with np.errstate(over="raise", invalid="raise"):
        agree(activations.softmax(x), np.array([1, 2, 5]) / 8, tol=1e-12)
    m = np.array([[0.0, 5.0], [LN3, -1.0]])
    out = activations.softmax(m, axis=0)
    assert out.shape == (2, 2)
    agree(out[:, 0], [0.25, 0.75], tol=1e-12)
    agree(out.sum(axis=0), [1.0, 1.0], tol=1e-15)


def test_log_softmax_stable():
    check_signature(activations.log_softmax, "x", axis=-1)
    x = np.array([[0.0, LN2, math.log(5.0)]]) + 1000.0
    out = activations.log_softmax(x)
    assert out.shape == (1, 3)
    agree(out[0], np.log(np.array([1, 2, 5]) / 8), tol=1e-12)
    far = activations.log_softmax(np.array([0.0, -2000.0]))
    assert np.all(np.isfinite(far)) and far[1] == pytest.approx(-2000.0, rel=1e-12)
    agree(activations.log_softmax(np.array([[0.0], [LN3]]), axis=0)[:, 0], [math.log(0.25), math.log(0.75)])


# ---- losses.py ----------------------------------------------------------------------------------

P3, T3 = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0])


def test_mse():
    check_signature(losses.mse, "y_pred", "y_true")
    out = losses.mse(P3, T3)
    assert is_scalar(out)
    assert out == pytest.approx(13 / 3, abs=1e-14)  # (0 + 4 + 9)/3
    assert losses.mse(np.ones((2, 2)), np.zeros((2, 2))) == pytest.approx(1.0)  # mean over all elements


def test_mse_grad():
    check_signature(losses.mse_grad, "y_pred", "y_true")
    agree(losses.mse_grad(P3, T3), [0.0, 4 / 3, 2.0], tol=1e-15)  # 2(p − t)/3
    grad = losses.mse_grad(np.ones((2, 2)), np.zeros((2, 2)))
    assert grad.shape == (2, 2)
    agree(grad, np.full((2, 2), 0.5), tol=1e-15)  # 2·1/4


def test_mae():
    check_signature(losses.mae, "y_pred", "y_true")
    out = losses.mae(P3, T3)
    assert is_scalar(out) and out == pytest.approx(5 / 3, abs=1e-14)  # (0 + 2 + 3)/3


def test_huber():
    check_signature(losses.huber, "y_pred", "y_true", delta=1.0)
    d = np.array([0.5, -2.0, 3.0])
    out = losses.huber(d, np.zeros(3))
    assert is_scalar(out)
    # ½·0.25 = 0.125, 1·(2 − ½) = 1.5, 1·(3 − ½) = 2.5
    assert out == pytest.approx((0.125 + 1.5 + 2.5) / 3, abs=1e-14)
    # δ = 2: 0.125; |d| = δ is on the linear branch, 2·(2 − 1) = 2 (= ½·4 too); 2·(3 − 1) = 4
    assert losses.huber(d, np.zeros(3), delta=2.0) == pytest.approx((0.125 + 2.0 + 4.0) / 3, abs=1e-14)


def test_binary_cross_entropy():
    check_signature(losses.binary_cross_entropy, "p", "y")
    out = losses.binary_cross_entropy(np.array([0.8, 0.25]), np.array([1.0, 0.0]))
    assert is_scalar(out)
    assert out == pytest.approx(-(math.log(0.8) + math.log(0.75)) / 2, rel=1e-12)


def test_binary_cross_entropy_with_logits_stable_at_200():
    check_signature(losses.binary_cross_entropy_with_logits, "z", "y")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = losses.binary_cross_entropy_with_logits(
            np.array([200.0, -200.0, 0.0, 200.0]), np.array([1.0, 1.0, 0.0, 0.0])
        )
    assert is_scalar(out)
    # per element: ~e^(−200) ≈ 0, 200, ln 2, 200
    assert out == pytest.approx((400.0 + LN2) / 4, rel=1e-12)
    z, y = np.array([0.5, -1.2]), np.array([1.0, 0.0])
    by_hand = -(math.log(sig(0.5)) + math.log(1 - sig(-1.2))) / 2
    assert losses.binary_cross_entropy_with_logits(z, y) == pytest.approx(by_hand, rel=1e-12)


def test_cross_entropy_on_logits_near_1000():
    check_signature(losses.cross_entropy, "logits", "targets")
    logits = np.array([[1000.0, 1000.0 + LN3], [1000.0, 1000.0]])
    out = losses.cross_entropy(logits, np.array([1, 0]))
    assert is_scalar(out)
    # row 1: softmax = (¼, ¾) → −ln ¾; row 2: uniform → ln 2
    assert out == pytest.approx((-math.log(0.75) + LN2) / 2, rel=1e-12)
    with np.errstate(over="raise", invalid="raise"):
        far = losses.cross_entropy(np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))
    assert far == pytest.approx(2000.0, rel=1e-12)  # logsumexp ≈ 1000, minus the target's −1000


def test_cross_entropy_grad():
    check_signature(losses.cross_entropy_grad, "logits", "targets")
    logits = np.array([[0.0, LN3], [1000.0, 1000.0]])
    grad = losses.cross_entropy_grad(logits, np.array([1, 0]))
    assert grad.shape == (2, 2)
    # ((¼, ¾ − 1), (½ − 1, ½)) / N with N = 2
    agree(grad, [[0.125, -0.125], [-0.25, 0.25]], tol=1e-14)


# ---- layers.py ----------------------------------------------------------------------------------


def test_dense_forward():
    check_signature(layers.dense_forward, "x", "W", "b")
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]])
    W = np.arange(12.0).reshape(3, 4)
    b = np.array([1.0, 0.0, 0.0, -1.0])
    out = layers.dense_forward(x, W, b)
    assert out.shape == (2, 4)
    # row 0, column 0: 1·0 + 2·4 + 3·8 + 1 = 33; row 1, column 3: 0·3 − 1·7 + 0.5·11 − 1 = −2.5
    assert out[0, 0] == 33.0 and out[1, 3] == -2.5
    loop = [[sum(x[n, i] * W[i, j] for i in range(3)) + b[j] for j in range(4)] for n in range(2)]
    agree(out, loop, tol=1e-15)


def test_dense_backward():
    check_signature(layers.dense_backward, "dout", "x", "W")
    rng = np.random.default_rng(0)
    x, W, b, dout = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2), rng.normal(size=(3, 2))
    dx, dW, db = layers.dense_backward(dout, x, W)
    assert (dx.shape, dW.shape, db.shape) == ((3, 4), (4, 2), (2,))

    def loss(x_, W_, b_):
        return float(np.sum(dout * (x_ @ W_ + b_)))

    agree(dx, fd(lambda v: loss(v, W, b), x))
    agree(dW, fd(lambda v: loss(x, v, b), W))
    agree(db, fd(lambda v: loss(x, W, v), b))


# ---- optimizers.py ------------------------------------------------------------------------------


def test_sgd_nesterov_weight_decay_three_steps_by_hand():
    check_signature(optimizers.SGD, "lr", momentum=0, nesterov=False, weight_decay=0)
    opt = optimizers.SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)
    params = {"w": np.array([1.0])}
    seen = []
    for _ in range(3):  # loss p², gradient 2p
        opt.step(params, {"w": 2.0 * params["w"]})
        seen.append(float(params["w"][0]))
    # 1: g = 2 + 0.1 = 2.1, buf = 2.1, d = 2.1 + 0.9·2.1 = 3.99, p = 1 − 0.399 = 0.601
    # 2: g = 1.202 + 0.0601 = 1.2621, buf = 1.89 + 1.2621 = 3.1521, d = 1.2621 + 2.83689 = 4.09899,
    #    p = 0.601 − 0.409899 = 0.191101
    # 3: g = 0.382202 + 0.0191101 = 0.4013121, buf = 2.83689 + 0.4013121 = 3.2382021,
    #    d = 0.4013121 + 2.91438189 = 3.31569399, p = 0.191101 − 0.331569399 = −0.140468399
    agree(seen, [0.601, 0.191101, -0.140468399], tol=1e-12)

    classic = optimizers.SGD(lr=0.1, momentum=0.9, weight_decay=0.1)
    params = {"w": np.array([1.0])}
    for _ in range(3):
        classic.step(params, {"w": 2.0 * params["w"]})
    # bufs 2.1, 1.89 + 1.659 = 3.549, 3.1941 + 0.91371 = 4.10781: p = 0.79, 0.4351, 0.024319
    agree(params["w"], [0.024319], tol=1e-12)


def test_adagrad_eps_outside_the_root():
    check_signature(optimizers.Adagrad, lr=0.01, eps=1e-10)
    opt = optimizers.Adagrad(lr=1.0, eps=1.0)  # a large ε makes its place visible
    params = {"p": np.array([0.0])}
    opt.step(params, {"p": np.array([3.0])})
    agree(params["p"], [-3.0 / (3.0 + 1.0)], tol=1e-15)  # inside the root: −3/√10
    opt.step(params, {"p": np.array([3.0])})
    agree(params["p"], [-0.75 - 3.0 / (math.sqrt(18.0) + 1.0)], tol=1e-15)


def test_rmsprop_eps_outside_the_root():
    check_signature(optimizers.RMSProp, lr=0.01, alpha=0.99, eps=1e-8)
    opt = optimizers.RMSProp(lr=1.0, alpha=0.5, eps=1.0)
    params = {"p": np.array([0.0])}
    opt.step(params, {"p": np.array([2.0])})  # v = ½·4 = 2
    agree(params["p"], [-2.0 / (math.sqrt(2.0) + 1.0)], tol=1e-15)  # inside the root: −2/√3
    opt.step(params, {"p": np.array([2.0])})  # v = ½·2 + ½·4 = 3
    agree(params["p"], [-2.0 / (math.sqrt(2.0) + 1.0) - 2.0 / (math.sqrt(3.0) + 1.0)], tol=1e-15)


def _grads_of_quadratic(params):
    """Gradients of Σ a·w² + c·w, a different function per parameter, so they depend on the weights."""
    return {"w": 2.0 * np.array([1.0, 3.0]) * params["w"] + np.array([0.5, -1.0]), "M": 0.7 * params["M"] ** 2 - 0.2}


def _adam_plain_loop(p0, lr, beta1, beta2, eps, weight_decay, decoupled, steps=6):
    """PyTorch's documented Adam/AdamW algorithm, one scalar at a time with Python floats."""
    out = {}
    for key, arr in p0.items():
        flat = []
        for idx in np.ndindex(arr.shape):
            theta, m, v = float(arr[idx]), 0.0, 0.0
            for t in range(1, steps + 1):
                g = float(_grads_of_quadratic(_scalar_params(key, idx, theta, p0))[key][idx])
                if decoupled:
                    theta = theta - lr * weight_decay * theta
                elif weight_decay:
                    g = g + weight_decay * theta
                m = beta1 * m + (1 - beta1) * g
                v = beta2 * v + (1 - beta2) * g * g
                m_hat = m / (1 - beta1**t)
                v_hat = v / (1 - beta2**t)
                theta = theta - lr * m_hat / (math.sqrt(v_hat) + eps)
            flat.append(theta)
        out[key] = np.array(flat).reshape(arr.shape)
    return out


def _scalar_params(key, idx, theta, p0):
    """p0 with entry ``idx`` of ``key`` set to theta (the gradients are element-wise, so that is enough)."""
    params = {k: v.copy() for k, v in p0.items()}
    params[key][idx] = theta
    return params


P0 = {"w": np.array([1.0, -2.0]), "M": np.array([[0.5, -0.3], [2.0, 0.1]])}


@pytest.mark.parametrize("cls, decoupled", [("Adam", False), ("AdamW", True)])
def test_adam_and_adamw_six_steps_match_a_plain_loop(cls, decoupled):
    opt_cls = getattr(optimizers, cls)
    defaults = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01 if decoupled else 0}
    check_signature(opt_cls, **defaults)
    hp = {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-3, "weight_decay": 0.1}
    opt = opt_cls(**hp)
    params = {k: v.copy() for k, v in P0.items()}
    for _ in range(6):
        opt.step(params, _grads_of_quadratic(params))
    ref = _adam_plain_loop(P0, hp["lr"], *hp["betas"], hp["eps"], hp["weight_decay"], decoupled)
    for key, start in P0.items():
        assert params[key].shape == start.shape
        agree(params[key], ref[key], tol=1e-9)


def test_adamw_decay_is_scaled_by_lr():
    opt = optimizers.AdamW(lr=0.1)  # default weight_decay 0.01
    params = {"p": np.array([2.0, -4.0])}
    for _ in range(5):
        opt.step(params, {"p": np.zeros(2)})
    agree(params["p"], np.array([2.0, -4.0]) * (1 - 0.1 * 0.01) ** 5, tol=1e-15)


def test_clip_grad_norm_returns_the_pre_clip_norm():
    check_signature(optimizers.clip_grad_norm, "grads", "max_norm")
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}  # global norm 5
    total = optimizers.clip_grad_norm(grads, max_norm=1.0)
    assert is_scalar(total) and total == pytest.approx(5.0, abs=1e-15)
    agree(grads["a"], [3.0 / (5.0 + 1e-6), 0.0], tol=1e-15)  # the 1e-6 is in the denominator
    agree(grads["b"], [[4.0 / (5.0 + 1e-6)]], tol=1e-15)
    assert abs(grads["a"][0] - 0.6) > 1e-8
    # at exactly the threshold PyTorch still multiplies by c/(‖g‖ + 1e-6) < 1
    grads = {"a": np.array([3.0, 4.0])}
    assert optimizers.clip_grad_norm(grads, 5.0) == pytest.approx(5.0)
    agree(grads["a"], np.array([3.0, 4.0]) * 5.0 / (5.0 + 1e-6), tol=1e-15)
    grads = {"a": np.array([0.3, 0.4])}
    optimizers.clip_grad_norm(grads, 5.0)
    np.testing.assert_array_equal(grads["a"], [0.3, 0.4])  # below the threshold: unchanged


def test_clip_grad_value():
    check_signature(optimizers.clip_grad_value, "grads", "clip_value")
    grads = {"a": np.array([-3.0, 0.2, 7.0]), "b": np.array([[0.5, -0.6]])}
    optimizers.clip_grad_value(grads, clip_value=0.5)
    np.testing.assert_array_equal(grads["a"], [-0.5, 0.2, 0.5])
    np.testing.assert_array_equal(grads["b"], [[0.5, -0.5]])


# ---- regularization.py --------------------------------------------------------------------------


def test_dropout_inverted_and_always_a_pair():
    check_signature(regularization.dropout, "x", "p", "rng", training=True)
    x = np.random.default_rng(0).uniform(1.0, 2.0, size=(200, 500))  # no zeros, so drops are visible
    result = regularization.dropout(x, 0.3, np.random.default_rng(1))
    assert isinstance(result, tuple) and len(result) == 2
    out, mask = result
    assert out.shape == mask.shape == x.shape
    kept = out != 0
    agree(out[kept], x[kept] / 0.7, tol=1e-15)
    assert abs(np.mean(~kept) - 0.3) < 0.01  # 100,000 draws: standard error ≈ 0.0015
    again, _ = regularization.dropout(x, 0.3, np.random.default_rng(1))
    np.testing.assert_array_equal(out, again)  # the mask comes from the given Generator only

    evaluation = regularization.dropout(x, 0.3, np.random.default_rng(1), training=False)
    assert isinstance(evaluation, tuple) and len(evaluation) == 2
    np.testing.assert_array_equal(evaluation[0], x)


def test_dropout_uses_no_global_random_state():
    np.random.seed(123)
    expected = np.random.random()
    np.random.seed(123)
    regularization.dropout(np.ones(10), 0.5, np.random.default_rng(0))
    initializers.he_normal(3, 4, np.random.default_rng(0))
    assert np.random.random() == expected


def test_l1_and_l2_penalties():
    w, lam = np.array([3.0, -4.0, 0.0]), 0.5
    assert regularization.l1_penalty(w, lam) == pytest.approx(3.5)  # 0.5·7
    agree(regularization.l1_grad(w, lam), [0.5, -0.5, 0.0], tol=1e-15)
    assert regularization.l2_penalty(w, lam) == pytest.approx(6.25)  # (0.5/2)·25
    agree(regularization.l2_grad(w, lam), [1.5, -2.0, 0.0], tol=1e-15)
    # l2_grad = λw is PyTorch's weight_decay = λ: one decayed SGD step with zero loss gradient
    params = {"w": w.copy()}
    optimizers.SGD(lr=0.1, weight_decay=lam).step(params, {"w": np.zeros(3)})
    agree(params["w"], w - 0.1 * np.array([1.5, -2.0, 0.0]), tol=1e-15)


def test_early_stopping_patience():
    losses_ = [1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.76, 0.77]
    # best at epoch 1; epochs 2 and 3 do not improve → patience 2 runs out at epoch 3
    assert tuple(regularization.early_stopping(losses_, patience=2)) == (1, 3)
    # patience 3: epoch 4 improves (0.7); 5, 6, 7 do not → stop at 7
    assert tuple(regularization.early_stopping(losses_, patience=3)) == (4, 7)


# ---- normalization.py ---------------------------------------------------------------------------

X_BN = np.array([[1.0, 2.0], [3.0, 6.0]])


def test_batchnorm_forward_biased_variance():
    check_signature(normalization.batchnorm_forward, "x", "gamma", "beta")
    out, _cache = normalization.batchnorm_forward(X_BN, np.array([1.0, 2.0]), np.array([0.0, 1.0]))
    assert out.shape == (2, 2)
    # column 0: mean 2, biased variance 1; column 1: mean 4, biased variance 4 (unbiased: 2 and 8)
    s0, s1 = math.sqrt(1 + 1e-5), math.sqrt(4 + 1e-5)
    agree(out, [[-1 / s0, 2 * (-2 / s1) + 1], [1 / s0, 2 * (2 / s1) + 1]], tol=1e-14)


def _norm_grads_check(forward, backward, x, seed):
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    gamma, beta, dout = rng.normal(size=d), rng.normal(size=d), rng.normal(size=x.shape)
    _, cache = forward(x, gamma, beta)
    dx, dgamma, dbeta = backward(dout, cache)
    assert (dx.shape, dgamma.shape, dbeta.shape) == (x.shape, (d,), (d,))

    def loss(x_, g_, b_):
        return float(np.sum(dout * forward(x_, g_, b_)[0]))

    agree(dx, fd(lambda v: loss(v, gamma, beta), x))
    agree(dgamma, fd(lambda v: loss(x, v, beta), gamma))
    agree(dbeta, fd(lambda v: loss(x, gamma, v), beta))
    return dx


def test_batchnorm_backward_through_the_statistics():
    check_signature(normalization.batchnorm_backward, "dout", "cache")
    x = np.random.default_rng(3).normal(size=(5, 3))
    dx = _norm_grads_check(normalization.batchnorm_forward, normalization.batchnorm_backward, x, 4)
    agree(dx.sum(axis=0), np.zeros(3), tol=1e-12)


def test_layernorm_forward_over_the_last_axis():
    check_signature(normalization.layernorm_forward, "x", "gamma", "beta")
    x = np.array([[1.0, 3.0, 2.0], [0.0, 0.0, 6.0]])
    out, _cache = normalization.layernorm_forward(x, np.ones(3), np.zeros(3))
    assert out.shape == (2, 3)
    # row 0: mean 2, variance 2/3; row 1: mean 2, variance (4 + 4 + 16)/3 = 8
    s0, s1 = math.sqrt(2 / 3 + 1e-5), math.sqrt(8 + 1e-5)
    agree(out, [[-1 / s0, 1 / s0, 0.0], [-2 / s1, -2 / s1, 4 / s1]], tol=1e-14)


def test_layernorm_backward():
    check_signature(normalization.layernorm_backward, "dout", "cache")
    x = np.random.default_rng(5).normal(size=(4, 3))
    _norm_grads_check(normalization.layernorm_forward, normalization.layernorm_backward, x, 6)


# ---- initializers.py ----------------------------------------------------------------------------

INIT_CASES = [
    # name, std, bound (None for normal); fan_in ≠ fan_out so that the two cannot be swapped
    ("xavier_uniform", math.sqrt(2 / 500), math.sqrt(6 / 500)),
    ("xavier_normal", math.sqrt(2 / 500), None),
    ("he_normal", math.sqrt(2 / 100), None),
    ("he_uniform", math.sqrt(2 / 100), math.sqrt(6 / 100)),
]


@pytest.mark.parametrize("name, std, bound", INIT_CASES)
def test_initializer_distribution(name, std, bound):
    init = getattr(initializers, name)
    check_signature(init, "fan_in", "fan_out", "rng")
    w = init(100, 400, np.random.default_rng(7))  # 40,000 draws: the std is known to ±0.4% (1σ)
    assert w.shape == (100, 400) and w.dtype == np.float64
    assert w.std() == pytest.approx(std, rel=0.02)
    assert abs(w.mean()) < 4 * std / math.sqrt(w.size)
    if bound is not None:
        assert np.max(np.abs(w)) <= bound and np.max(np.abs(w)) > 0.99 * bound
    np.testing.assert_array_equal(w, init(100, 400, np.random.default_rng(7)))


# ---- recurrent.py -------------------------------------------------------------------------------


def test_rnn_cell_forward():
    check_signature(recurrent.rnn_cell_forward, "x", "h", "Wx", "Wh", "b")
    out = recurrent.rnn_cell_forward(
        np.array([[0.5]]), np.array([[-1.0]]), np.array([[2.0]]), np.array([[0.5]]), np.array([0.25])
    )
    assert out.shape == (1, 1)
    assert out[0, 0] == pytest.approx(math.tanh(1.0 - 0.5 + 0.25), abs=1e-15)
    rng = np.random.default_rng(8)
    x, h, Wx, Wh, b = (
        rng.normal(size=(3, 2)),
        rng.normal(size=(3, 4)),
        rng.normal(size=(2, 4)),
        rng.normal(size=(4, 4)),
        rng.normal(size=4),
    )
    assert recurrent.rnn_cell_forward(x, h, Wx, Wh, b).shape == (3, 4)


def test_lstm_cell_gate_order_i_f_g_o():
    check_signature(recurrent.lstm_cell_forward, "x", "h", "c", "Wx", "Wh", "b")
    # zero weights, so the bias alone sets the gates: i = σ(ln 3) = ¾, f = σ(0) = ½, g = tanh(atanh 0.6)
    # = 0.6, o = σ(−ln 3) = ¼
    b = np.array([LN3, 0.0, math.atanh(0.6), -LN3])
    h_new, c_new = recurrent.lstm_cell_forward(
        np.ones((1, 2)), np.ones((1, 1)), np.array([[2.0]]), np.zeros((2, 4)), np.zeros((1, 4)), b
    )
    assert h_new.shape == c_new.shape == (1, 1)
    assert c_new[0, 0] == pytest.approx(0.5 * 2.0 + 0.75 * 0.6, abs=1e-15)  # 1.45
    assert h_new[0, 0] == pytest.approx(0.25 * math.tanh(1.45), abs=1e-15)

    # general weights against PyTorch's layout: weight_ih = Wxᵀ (4H, D), rows in blocks i, f, g, o
    rng = np.random.default_rng(9)
    N, D, H = 2, 3, 2
    x, h, c = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    h_new, c_new = recurrent.lstm_cell_forward(x, h, c, Wx, Wh, b)
    w_ih, w_hh = Wx.T, Wh.T
    for n in range(N):
        for j in range(H):
            gate = {}
            for k, name in enumerate("ifgo"):
                row = k * H + j
                gate[name] = (
                    sum(w_ih[row, d] * x[n, d] for d in range(D))
                    + sum(w_hh[row, e] * h[n, e] for e in range(H))
                    + b[row]
                )
            c_ref = sig(gate["f"]) * c[n, j] + sig(gate["i"]) * math.tanh(gate["g"])
            assert c_new[n, j] == pytest.approx(c_ref, abs=1e-12)
            assert h_new[n, j] == pytest.approx(sig(gate["o"]) * math.tanh(c_ref), abs=1e-12)


def test_gru_reset_gate_multiplies_the_hidden_bias():
    check_signature(recurrent.gru_cell_forward, "x", "h", "Wx", "Wh", "bx", "bh")
    x, h = np.array([[1.0]]), np.array([[0.5]])
    Wx, Wh = np.array([[0.0, 0.0, 1.0]]), np.array([[0.0, 0.0, 2.0]])  # blocks r, z, n
    out = recurrent.gru_cell_forward(x, h, Wx, Wh, np.array([LN3, 0.0, 0.0]), np.array([0.0, -LN3, 1.0]))
    assert out.shape == (1, 1)
    # r = σ(ln 3) = ¾, z = σ(−ln 3) = ¼, n = tanh(1 + ¾·(0.5·2 + 1)) = tanh(2.5) (bias outside r:
    # tanh(2.75)); h' = (1 − z)·n + z·h = ¾·tanh(2.5) + ¼·0.5
    assert out[0, 0] == pytest.approx(0.75 * math.tanh(2.5) + 0.25 * 0.5, abs=1e-15)
    # the same bias on the input side is not multiplied by r: n = tanh(1 + 1 + ¾·1)
    moved = recurrent.gru_cell_forward(x, h, Wx, Wh, np.array([LN3, -LN3, 1.0]), np.zeros(3))
    assert moved[0, 0] == pytest.approx(0.75 * math.tanh(2.75) + 0.25 * 0.5, abs=1e-15)


def test_rnn_forward_returns_every_hidden_state():
    check_signature(recurrent.rnn_forward, "xs", "h0", "Wx", "Wh", "b")
    xs = np.array([1.0, 0.0, -1.0]).reshape(3, 1, 1)
    hs = recurrent.rnn_forward(xs, np.zeros((1, 1)), np.array([[1.0]]), np.array([[0.5]]), np.zeros(1))
    assert hs.shape == (3, 1, 1)
    h1 = math.tanh(1.0)
    h2 = math.tanh(0.5 * h1)
    h3 = math.tanh(-1.0 + 0.5 * h2)
    agree(hs.ravel(), [h1, h2, h3], tol=1e-15)
    rng = np.random.default_rng(10)
    assert recurrent.rnn_forward(
        rng.normal(size=(4, 2, 3)), np.zeros((2, 5)), rng.normal(size=(3, 5)), rng.normal(size=(5, 5)), np.zeros(5)
    ).shape == (4, 2, 5)


def test_rnn_backward_bptt():
    rng = np.random.default_rng(11)
    T, N, D, H = 3, 2, 2, 3
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, H)) * 0.7, rng.normal(size=(H, H)) * 0.7, rng.normal(size=H)
    dhs = rng.normal(size=(T, N, H))
    dxs, dh0, dWx, dWh, db = recurrent.rnn_backward(dhs, xs, h0, Wx, Wh, b)

    def loss(xs_=xs, h0_=h0, Wx_=Wx, Wh_=Wh, b_=b):
        return float(np.sum(dhs * recurrent.rnn_forward(xs_, h0_, Wx_, Wh_, b_)))

    agree(dxs, fd(lambda v: loss(xs_=v), xs))
    agree(dh0, fd(lambda v: loss(h0_=v), h0))
    agree(dWx, fd(lambda v: loss(Wx_=v), Wx))
    agree(dWh, fd(lambda v: loss(Wh_=v), Wh))
    agree(db, fd(lambda v: loss(b_=v), b))


# ---- convolution.py -----------------------------------------------------------------------------


def test_conv2d_stride_2_padding_1_against_a_loop():
    check_signature(convolution.conv2d, "x", "w", "b", stride=1, padding=0)
    rng = np.random.default_rng(12)
    x, w, b = rng.normal(size=(2, 3, 7, 6)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    out = convolution.conv2d(x, w, b, stride=2, padding=1)
    assert out.shape == (2, 4, 4, 4)  # ⌊(7 + 2 − 3)/2⌋ + 1 = 4, ⌊(6 + 2 − 2)/2⌋ + 1 = 4
    agree(out, conv2d_loop(x, w, b, 2, 1), tol=1e-12)
    # no kernel flip: a kernel picking its top-left tap returns the top-left pixel
    picked = convolution.conv2d(
        np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), np.array([[[[1.0, 0.0], [0.0, 0.0]]]]), np.zeros(1)
    )
    assert picked.shape == (1, 1, 1, 1) and picked[0, 0, 0, 0] == 1.0


def test_conv_output_size_and_conv2d_backward():
    check_signature(convolution.conv_output_size, "size", "kernel", stride=1, padding=0)
    assert convolution.conv_output_size(7, 3, stride=2, padding=1) == 4
    assert convolution.conv_output_size(224, 7, stride=2, padding=3) == 112
    assert convolution.conv_output_size(7, 2, stride=2) == 3  # floor
    rng = np.random.default_rng(13)
    _check_conv2d_backward(rng, (2, 2, 5, 4), (3, 2, 3, 2), stride=2, padding=1)
    # this one floors: with 6 rows, k = 3, S = 2 the last row is in no window (zero gradient)
    _check_conv2d_backward(rng, (1, 2, 6, 5), (2, 2, 3, 3), stride=2, padding=0)


def _check_conv2d_backward(rng, x_shape, w_shape, stride, padding):
    """conv2d_backward against finite differences of Σ dout ⊙ conv (the loop version)."""
    x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    dout = rng.normal(size=conv2d_loop(x, w, b, stride, padding).shape)
    dx, dw, db = convolution.conv2d_backward(dout, x, w, stride=stride, padding=padding)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)

    def loss(x_, w_, b_):
        return float(np.sum(dout * conv2d_loop(x_, w_, b_, stride, padding)))

    agree(dx, fd(lambda v: loss(v, w, b), x))
    agree(dw, fd(lambda v: loss(x, v, b), w))
    agree(db, fd(lambda v: loss(x, w, v), b))


GRID = np.arange(25.0).reshape(1, 1, 5, 5)  # value = 5·row + column


def test_max_pool2d_floors_odd_sizes():
    check_signature(convolution.max_pool2d, "x", "kernel", stride=None)
    out = convolution.max_pool2d(GRID, 2)  # stride defaults to 2: windows at 0 and 2, row/column 4 dropped
    assert out.shape == (1, 1, 2, 2)
    np.testing.assert_array_equal(out[0, 0], [[6.0, 8.0], [16.0, 18.0]])
    overlapping = convolution.max_pool2d(GRID, 3, stride=1)
    assert overlapping.shape == (1, 1, 3, 3) and overlapping[0, 0, 2, 2] == 24.0 and overlapping[0, 0, 0, 0] == 12.0


def test_avg_pool2d_same_windowing():
    check_signature(convolution.avg_pool2d, "x", "kernel", stride=None)
    out = convolution.avg_pool2d(GRID, 2)
    assert out.shape == (1, 1, 2, 2)
    np.testing.assert_array_equal(out[0, 0], [[3.0, 5.0], [13.0, 15.0]])  # (0 + 1 + 5 + 6)/4 = 3, …
    assert convolution.avg_pool2d(GRID, 3, stride=2).shape == (1, 1, 2, 2)


# ---- attention.py -------------------------------------------------------------------------------


def test_scaled_dot_product_attention_by_hand():
    check_signature(attention.scaled_dot_product_attention, "q", "k", "v", mask=None)
    # d = 4, √d = 2: scores (2 ln 3)/2 = ln 3 and 0 → weights (¾, ¼)
    q = np.array([[[2 * LN3, 0.0, 0.0, 0.0]]])
    k = np.array([[[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]])
    v = np.array([[[4.0, 0.0, 2.0], [0.0, 8.0, 2.0]]])
    out, weights = attention.scaled_dot_product_attention(q, k, v)
    assert out.shape == (1, 1, 3) and weights.shape == (1, 1, 2)
    agree(weights[0, 0], [0.75, 0.25], tol=1e-14)
    agree(out[0, 0], [3.0, 2.0, 2.0], tol=1e-14)
    # True = may attend: hiding key 0 puts all the weight, exactly, on key 1
    out, weights = attention.scaled_dot_product_attention(q, k, v, mask=np.array([[False, True]]))
    assert weights[0, 0, 0] == 0.0 and weights[0, 0, 1] == pytest.approx(1.0, abs=1e-15)
    agree(out[0, 0], [0.0, 8.0, 2.0], tol=1e-14)
    # a (Lq, Lk) mask broadcasts over the batch
    rng = np.random.default_rng(14)
    qb, kb, vb = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 5))
    causal = np.tril(np.ones((3, 3), dtype=bool))
    out, weights = attention.scaled_dot_product_attention(qb, kb, vb, mask=causal)
    assert out.shape == (2, 3, 5) and weights.shape == (2, 3, 3)
    assert np.all(weights[:, ~causal] == 0.0)
    agree(weights[:, 0, 0], [1.0, 1.0], tol=1e-15)


def test_multi_head_attention_against_a_per_head_loop():
    check_signature(attention.multi_head_attention, "x", "Wq", "Wk", "Wv", "Wo", "num_heads")
    rng = np.random.default_rng(15)
    L, E, heads = 5, 6, 3
    hd = E // heads
    x = rng.normal(size=(L, E))
    Wq, Wk, Wv, Wo = (rng.normal(size=(E, E)) for _ in range(4))
    out = attention.multi_head_attention(x, Wq, Wk, Wv, Wo, heads)
    assert isinstance(out, np.ndarray) and out.shape == (L, E)
    Q, K, V = x @ Wq, x @ Wk, x @ Wv
    concat = np.zeros((L, E))
    for i in range(heads):
        cols = slice(i * hd, (i + 1) * hd)
        for a in range(L):
            scores = [float(Q[a, cols] @ K[b, cols]) / math.sqrt(hd) for b in range(L)]
            top = max(scores)
            e = [math.exp(s - top) for s in scores]
            weights = [w_ / sum(e) for w_ in e]
            concat[a, cols] = sum(weights[b] * V[b, cols] for b in range(L))
    agree(out, concat @ Wo, tol=1e-12)


def test_positional_encoding():
    check_signature(attention.positional_encoding, "length", "d_model")
    pe = attention.positional_encoding(3, 4)
    assert pe.shape == (3, 4)
    # PE[pos, 2i] = sin(pos/10000^(2i/4)), PE[pos, 2i+1] = cos(…): frequencies 1 and 1/100
    agree(pe[0], [0.0, 1.0, 0.0, 1.0], tol=1e-15)
    agree(pe[1], [math.sin(1.0), math.cos(1.0), math.sin(0.01), math.cos(0.01)], tol=1e-15)
    agree(pe[2], [math.sin(2.0), math.cos(2.0), math.sin(0.02), math.cos(0.02)], tol=1e-15)


# ---- metrics.py ---------------------------------------------------------------------------------


def test_accuracy():
    check_signature(metrics.accuracy, "y_true", "y_pred")
    out = metrics.accuracy(np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1]))
    assert is_scalar(out) and out == 0.5


BIN_TRUE = np.array([1, 1, 1, 0, 0, 1])
BIN_PRED = np.array([1, 0, 0, 1, 0, 1])  # TP = 2, FP = 1, FN = 2


def test_precision_recall_f1_and_zero_division():
    for fn in (metrics.precision, metrics.recall, metrics.f1_score):
        check_signature(fn, "y_true", "y_pred")
    assert metrics.precision(BIN_TRUE, BIN_PRED) == pytest.approx(2 / 3, abs=1e-15)
    assert metrics.recall(BIN_TRUE, BIN_PRED) == pytest.approx(1 / 2, abs=1e-15)
    assert metrics.f1_score(BIN_TRUE, BIN_PRED) == pytest.approx(4 / 7, abs=1e-15)  # 2·2/(2·2 + 1 + 2)
    assert metrics.precision(BIN_PRED, BIN_TRUE) == pytest.approx(1 / 2, abs=1e-15)  # truth first
    zeros, ones = np.zeros(4, dtype=int), np.array([1, 0, 1, 0])
    for value in (
        metrics.precision(ones, zeros),
        metrics.recall(zeros, ones),
        metrics.f1_score(zeros, zeros),
        metrics.precision(zeros, zeros),
        metrics.recall(zeros, zeros),
    ):
        assert is_scalar(value) and value == 0.0  # scikit-learn's zero_division=0, never NaN
    for fn in (metrics.precision, metrics.recall, metrics.f1_score):
        assert "0.0" in fn.__doc__ or "zero_division" in fn.__doc__


def test_confusion_matrix_rows_true_columns_predicted():
    check_signature(metrics.confusion_matrix, "y_true", "y_pred", "num_classes")
    cm = metrics.confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 4)
    assert cm.shape == (4, 4)
    np.testing.assert_array_equal(cm, [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0]])


REG_TRUE = np.array([3.0, -0.5, 2.0, 7.0])
REG_PRED = np.array([2.5, 0.0, 2.0, 8.0])


def test_mean_absolute_and_squared_error():
    check_signature(metrics.mean_absolute_error, "y_true", "y_pred")
    check_signature(metrics.mean_squared_error, "y_true", "y_pred")
    mae, mse_ = metrics.mean_absolute_error(REG_TRUE, REG_PRED), metrics.mean_squared_error(REG_TRUE, REG_PRED)
    assert is_scalar(mae) and is_scalar(mse_)
    assert mae == pytest.approx(0.5) and mse_ == pytest.approx(0.375)  # (0.5 + 0.5 + 0 + 1)/4, (¼ + ¼ + 0 + 1)/4


def test_r2_score_argument_order():
    check_signature(metrics.r2_score, "y_true", "y_pred")
    # ȳ = 2.875: SS_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875; SS_res = 1.5
    assert metrics.r2_score(REG_TRUE, REG_PRED) == pytest.approx(1 - 1.5 / 29.1875, abs=1e-14)
    # swapped, the mean is ŷ's (3.125): SS_tot = 35.1875
    assert metrics.r2_score(REG_PRED, REG_TRUE) == pytest.approx(1 - 1.5 / 35.1875, abs=1e-14)
    # constant y_true (scikit-learn's default force_finite): 1.0 if perfect, else 0.0
    assert metrics.r2_score(np.full(3, 2.0), np.full(3, 2.0)) == 1.0
    assert metrics.r2_score(np.full(3, 2.0), np.array([1.0, 2.0, 3.0])) == 0.0


# ---- gradcheck.py -------------------------------------------------------------------------------


def test_numerical_gradient_central_and_restores_x():
    check_signature(gradcheck.numerical_gradient, "f", "x", h=1e-5)
    x = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])
    before = x.copy()
    calls = []

    def cube_sum(v):
        calls.append(1)
        return float(np.sum(v**3))

    g = gradcheck.numerical_gradient(cube_sum, x, h=1e-2)
    assert g.shape == x.shape and len(calls) == 2 * x.size
    np.testing.assert_array_equal(x, before)  # whatever was perturbed, x is restored exactly
    # central: ((x+h)³ − (x−h)³)/2h = 3x² + h² exactly; a forward difference would add 3xh
    agree(g, 3 * before**2 + 1e-4, tol=1e-10)

    def failing(v):
        if v[0, 0] != before[0, 0]:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        gradcheck.numerical_gradient(failing, x)
    np.testing.assert_array_equal(x, before)


# ---- layers: the two-layer network; training --------------------------------------------------


def test_two_layer_net_by_hand():
    X, y = np.array([[1.0, 2.0]]), np.array([5.0])
    params = {
        "W1": np.array([[1.0, -1.0], [0.5, 1.0]]),
        "b1": np.array([0.0, -2.0]),
        "W2": np.array([[3.0], [5.0]]),
        "b2": np.array([1.0]),
    }
    loss, cache = layers.two_layer_net_forward(X, y, params)
    # z₁ = (1 + 1, −1 + 2 − 2) = (2, −1), h = (2, 0), ŷ = 6 + 0 + 1 = 7, L = (7 − 5)² = 4
    assert is_scalar(loss) and loss == pytest.approx(4.0)
    agree(cache["z1"], [[2.0, -1.0]], tol=1e-15)
    agree(cache["h"], [[2.0, 0.0]], tol=1e-15)
    agree(cache["y_hat"], [[7.0]], tol=1e-15)
    grads, _deltas = layers.two_layer_net_backward(cache)
    # δ₂ = 2·2 = 4: dW₂ = hᵀ·4 = (8, 0), db₂ = 4; dh = 4·(3, 5) = (12, 20), ReLU mask → dz₁ = (12, 0)
    agree(grads["W2"], [[8.0], [0.0]], tol=1e-15)
    agree(grads["b2"], [4.0], tol=1e-15)
    agree(grads["W1"], [[12.0, 0.0], [24.0, 0.0]], tol=1e-15)
    agree(grads["b1"], [12.0, 0.0], tol=1e-15)


def test_gradient_descent_batch_stochastic_minibatch():
    # one batch step by hand: r = (−1, −3), ∂L/∂w = (2/2)(−1 − 6) = −7, ∂L/∂b = (2/2)(−4) = −4
    one = training.gradient_descent(np.array([[1.0], [2.0]]), np.array([1.0, 3.0]), lr=0.1, epochs=1)
    agree(one.w, [0.7], tol=1e-15)
    assert one.b == pytest.approx(0.4) and one.loss_per_update[0] == pytest.approx(5.0)

    X, y, _, _ = training.make_regression(40, 3, np.random.default_rng(16), noise=0.1)
    A = np.hstack([X, np.ones((40, 1))])
    solution = np.linalg.lstsq(A, y, rcond=None)[0]
    full = training.gradient_descent(X, y, lr=0.1, epochs=300)
    agree(np.append(full.w, full.b), solution, tol=1e-8)
    best = np.mean((A @ solution - y) ** 2)
    for batch, lr, updates in ((1, 0.01, 40), (16, 0.05, 3)):  # ⌈40/16⌉ = 3 updates per epoch
        run = training.gradient_descent(X, y, lr=lr, epochs=60, batch_size=batch, rng=np.random.default_rng(0))
        assert run.loss_per_update.shape == (60 * updates,)
        assert run.loss_per_epoch[-1] < 1.5 * best
