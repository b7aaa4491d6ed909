"""Checks for the layer exercises: dense layer, two-layer MLP forward and backward, inverted dropout."""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import Call, Case, Mismatch, Ref, compare_case, fd_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.implement.values import kind_of, show
from dlquiz.reference.layers import dense_backward, dense_forward
from dlquiz.reference.losses import mse

DENSE_NAMES = ("dx", "dW", "db")
MLP_NAMES = ("dW1", "db1", "dW2", "db2")

# --------------------------------------------------------------------------- dense layer


def _dense_inputs(rng, n, d_in, d_out, decimals=1):
    return (
        rounded(rng.normal(0, 1, (n, d_in)), decimals),
        rounded(rng.normal(0, 1, (d_in, d_out)), decimals),
        rounded(rng.normal(0, 1, d_out), decimals),
    )


def _dense_cases(rng):
    x, W, b = _dense_inputs(rng, 2, 3, 2)
    dout = rounded(rng.normal(0, 1, (2, 2)))
    x1, W1, b1 = _dense_inputs(rng, 1, 4, 3)
    xs, Ws, _ = _dense_inputs(rng, 3, 3, 3)
    dout_s = rounded(rng.normal(0, 1, (3, 3)))
    xr, Wr, br = _dense_inputs(rng, 5, 4, 3, 6)
    dr = rng.normal(0, 1, (5, 3))
    return [
        compare_case("forward, 2 × 3 → 2", "dense_forward", {"x": x, "W": W, "b": b}, dense_forward(x, W, b)),
        compare_case(
            "forward, a batch of one", "dense_forward", {"x": x1, "W": W1, "b": b1}, dense_forward(x1, W1, b1)
        ),
        compare_case(
            "backward, 2 × 3 → 2",
            "dense_backward",
            {"dout": dout, "x": x, "W": W},
            dense_backward(dout, x, W),
            names=DENSE_NAMES,
        ),
        compare_case(
            "backward, square weights",
            "dense_backward",
            {"dout": dout_s, "x": xs, "W": Ws},
            dense_backward(dout_s, xs, Ws),
            names=DENSE_NAMES,
            hint="With square weights a transpose in the wrong place keeps the shape and changes the values: "
            "dx = dout·Wᵀ (N, in), dW = xᵀ·dout (in, out).",
        ),
        compare_case(
            "backward, a batch of one",
            "dense_backward",
            {"dout": (d1 := rounded(rng.normal(0, 1, (1, 3)))), "x": x1, "W": W1},
            dense_backward(d1, x1, W1),
            names=DENSE_NAMES,
        ),
        fd_case(
            "backward against finite differences",
            "dense_backward",
            {"dout": dr, "x": xr, "W": Wr},
            dense_forward,
            {"x": xr, "W": Wr, "b": br},
            ["x", "W", "b"],
            dr,
            names=DENSE_NAMES,
        ),
    ]


def _dense_forward_transposed(x, W, b):
    return x @ W.T + b


def _dense_forward_no_bias(x, W, b):  # noqa: ARG001
    return x @ W


def _dense_backward_db_mean(dout, x, W):
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)


def _dense_backward_dw_transposed(dout, x, W):
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)


def _dense_backward_dx_no_transpose(dout, x, W):
    return dout @ W, x.T @ dout, dout.sum(axis=0)


# --------------------------------------------------------------------------- two-layer MLP


def _mlp_params(rng, d, h, k, decimals=1):
    return {
        "W1": rounded(rng.normal(0, 1, (d, h)), decimals),
        "b1": rounded(rng.normal(0, 0.5, h), decimals),
        "W2": rounded(rng.normal(0, 1, (h, k)), decimals),
        "b2": rounded(rng.normal(0, 0.5, k), decimals),
    }


def _mlp(X, y, W1, b1, W2, b2):
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    y_hat = h @ W2 + b2
    return z1, h, y_hat, mse(y_hat, y)


def _mlp_forward(X, y, W1, b1, W2, b2):
    _, _, y_hat, loss = _mlp(X, y, W1, b1, W2, b2)
    return y_hat, loss


def _mlp_backward(X, y, W1, b1, W2, b2, *, mask=lambda z: z > 0, scale=None):
    z1, h, y_hat, _ = _mlp(X, y, W1, b1, W2, b2)
    d = 2.0 * (y_hat - y) / (y.size if scale is None else scale)
    dz1 = (d @ W2.T) * mask(z1)
    return X.T @ dz1, dz1.sum(axis=0), h.T @ d, d.sum(axis=0)


def _mlp_inputs(rng, n, d, h, k, decimals=1):
    X = rounded(rng.normal(0, 1, (n, d)), decimals)
    y = rounded(rng.normal(0, 1, (n, k)), decimals)
    return {"X": X, "y": y, **_mlp_params(rng, d, h, k, decimals)}


def _kink_inputs(rng):
    """Hidden unit 0 sits exactly at z = 0 for every example (its weights and bias are 0)."""
    inputs = _mlp_inputs(rng, 3, 2, 3, 1)
    inputs["W1"][:, 0] = 0.0
    inputs["b1"][0] = 0.0
    return inputs


def _mlp_forward_cases(rng):
    small = _mlp_inputs(rng, 2, 3, 4, 1, 1)
    batch1 = _mlp_inputs(rng, 1, 3, 4, 1)
    two_out = _mlp_inputs(rng, 4, 3, 5, 2)
    big = _mlp_inputs(rng, 16, 8, 32, 2, 6)
    return [
        compare_case("2 examples, 3 → 4 → 1", "mlp_forward", small, _mlp_forward(**small), names=("y_hat", "loss")),
        compare_case("a batch of one", "mlp_forward", batch1, _mlp_forward(**batch1), names=("y_hat", "loss")),
        compare_case(
            "two outputs per example",
            "mlp_forward",
            two_out,
            _mlp_forward(**two_out),
            names=("y_hat", "loss"),
            hint="The MSE is the mean over all N·K entries, as F.mse_loss computes it.",
        ),
        compare_case("16 examples, 8 → 32 → 2", "mlp_forward", big, _mlp_forward(**big), names=("y_hat", "loss")),
    ]


def _mlp_backward_cases(rng):
    small = _mlp_inputs(rng, 2, 3, 4, 2)
    two_out = _mlp_inputs(rng, 4, 3, 5, 2)
    kink = _kink_inputs(rng)
    fd = _mlp_inputs(rng, 4, 3, 5, 2, 6)
    order = ["W1", "b1", "W2", "b2"]

    def loss(X, y, W1, b1, W2, b2):
        return _mlp(X, y, W1, b1, W2, b2)[3]

    return [
        compare_case("2 examples, 3 → 4 → 2", "mlp_backward", small, _mlp_backward(**small), names=MLP_NAMES),
        compare_case(
            "two outputs per example",
            "mlp_backward",
            two_out,
            _mlp_backward(**two_out),
            names=MLP_NAMES,
            hint="δ₂ = 2(ŷ − y)/(N·K): the loss is a mean over all N·K entries.",
        ),
        compare_case(
            "a hidden unit exactly at z = 0",
            "mlp_backward",
            kink,
            _mlp_backward(**kink),
            names=MLP_NAMES,
            hint="ReLU′(0) is 0 by PyTorch's convention: the mask is z > 0, not z ≥ 0.",
        ),
        fd_case("finite differences", "mlp_backward", fd, loss, fd, order, 1.0, names=MLP_NAMES),
    ]


def _mlp_forward_half(X, y, W1, b1, W2, b2):
    y_hat, loss = _mlp_forward(X, y, W1, b1, W2, b2)
    return y_hat, loss / 2


def _mlp_forward_sum(X, y, W1, b1, W2, b2):
    y_hat, loss = _mlp_forward(X, y, W1, b1, W2, b2)
    return y_hat, loss * y.size


def _mlp_forward_mean_over_n(X, y, W1, b1, W2, b2):
    y_hat, loss = _mlp_forward(X, y, W1, b1, W2, b2)
    return y_hat, loss * y.shape[1]


def _mlp_forward_relu_out(X, y, W1, b1, W2, b2):
    y_hat = np.maximum(np.maximum(X @ W1 + b1, 0) @ W2 + b2, 0)
    return y_hat, mse(y_hat, y)


def _mlp_forward_no_relu(X, y, W1, b1, W2, b2):
    y_hat = (X @ W1 + b1) @ W2 + b2
    return y_hat, mse(y_hat, y)


# --------------------------------------------------------------------------- dropout


def _pair(value, what: str) -> Mismatch | None:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return Mismatch(f"wrong return value from {what}", f"returned {kind_of(value)}; expected a tuple (out, mask)")
    if not isinstance(value[0], np.ndarray):
        return Mismatch(f"wrong type from {what}", f"out is {kind_of(value[0])}; expected an array")
    return None


def _unchanged(x):
    def judge(values):
        found = _pair(values[0], "dropout_forward")
        if found:
            return found
        out = values[0][0]
        if out.shape != x.shape or not np.array_equal(out, x):
            return Mismatch(
                "wrong values",
                "the output must be x itself, unchanged",
                expected=show(x),
                got=show(out),
                hint="Outside training (and with p = 0) dropout does nothing: inverted dropout already rescaled "
                "during training, so nothing is scaled at test time.",
            )
        return None

    return judge


def _kept_and_scaled(x, p):
    def judge(values):
        found = _pair(values[0], "dropout_forward")
        if found:
            return found
        out = values[0][0]
        if out.shape != x.shape:
            return Mismatch("wrong shape", f"out has shape {out.shape}; expected {x.shape}")
        kept = out != 0
        dropped = 1.0 - kept.mean()
        if abs(dropped - (1 - p)) < 0.01 and abs(p - 0.5) > 0.05:
            return Mismatch(
                "wrong fraction dropped",
                f"with p = {p} about {p:.0%} of the entries should be 0; {dropped:.1%} were",
                hint="p is the probability of dropping (PyTorch's convention), not of keeping: keep an entry when "
                "a uniform draw is ≥ p, and divide the kept ones by 1 − p.",
            )
        if out.ndim == 2 and (np.all(kept == kept[:1]) or np.all(kept == kept[:, :1])):
            return Mismatch(
                "the same mask everywhere",
                "every row (or every column) was dropped in the same places",
                hint="Draw one independent decision per entry, rng.random(x.shape), not one row of decisions "
                "shared by the whole batch.",
            )
        if abs(dropped - p) > 0.01:
            return Mismatch(
                "wrong fraction dropped", f"with p = {p} about {p:.0%} of the entries should be 0; {dropped:.1%} were"
            )
        ratio = np.where(kept, out / x, 0.0)
        scale = 1.0 / (1.0 - p)
        if kept.any() and not np.allclose(ratio[kept], scale, rtol=1e-12):
            typical = float(np.median(ratio[kept]))
            names = {1.0: "not rescaled", p: "multiplied by p", 1 / p: "divided by p", 1 - p: "multiplied by 1 − p"}
            named = next((n for v, n in names.items() if np.isclose(typical, v)), None)
            return Mismatch(
                "kept entries scaled wrongly",
                f"a kept entry should be x/(1 − p) = x × {scale:.6g}; yours are x × {typical:.6g}"
                + (f" ({named})" if named else ""),
                hint="Inverted dropout divides the kept entries by the keep probability 1 − p, so that E[out] = x.",
            )
        return None

    return judge


def _backward_matches(p, dout):
    def judge(values):
        found = _pair(values[0], "dropout_forward")
        if found:
            return found
        out, dx = values[0][0], values[1]
        if not isinstance(dx, np.ndarray) or dx.shape != dout.shape:
            return Mismatch(
                "wrong return value from dropout_backward", f"returned {kind_of(dx)}; expected {dout.shape}"
            )
        expected = np.where(out != 0, dout / (1.0 - p), 0.0)
        if not np.allclose(dx, expected, rtol=1e-12, atol=0):
            return Mismatch(
                "wrong gradient",
                "dx must be dout where the forward pass kept an entry (scaled by 1/(1 − p)) and 0 where it dropped one",
                expected=show(expected),
                got=show(dx),
                hint="The backward pass reuses the forward's mask, scaling included: dx = dout ⊙ mask/(1 − p).",
            )
        return None

    return judge


def _same_seed(values):
    first, again, other = values
    for value in values:
        found = _pair(value, "dropout_forward")
        if found:
            return found
    if not np.array_equal(first[0], again[0]):
        return Mismatch(
            "the mask does not come from rng",
            "two calls with generators made from the same seed dropped different entries",
            hint="Draw the mask from the rng argument (rng.random(x.shape)), not from np.random's global state.",
        )
    if np.array_equal(first[0], other[0]):
        return Mismatch("the mask never changes", "generators with different seeds dropped the same entries")
    return None


def _dropout_cases(rng):
    signs = np.where(rng.random((400, 500)) < 0.5, -1.0, 1.0)
    x = signs * rng.uniform(0.5, 2.0, (400, 500))
    small = rounded(rng.uniform(0.5, 2.0, (3, 4)))
    dout = rng.normal(0, 1, (400, 500))
    r = np.random.default_rng
    return [
        Case(
            "training=False returns x",
            (Call("dropout_forward", {"x": small, "p": 0.5, "rng": r(1)}, {"training": False}),),
            _unchanged(small),
        ),
        Case(
            "p = 0 keeps everything", (Call("dropout_forward", {"x": small, "p": 0.0, "rng": r(1)}),), _unchanged(small)
        ),
        Case(
            "p = 0.3 on a 400 × 500 input",
            (Call("dropout_forward", {"x": x, "p": 0.3, "rng": r(2)}),),
            _kept_and_scaled(x, 0.3),
        ),
        Case(
            "p = 0.8 on a 400 × 500 input",
            (Call("dropout_forward", {"x": x, "p": 0.8, "rng": r(3)}),),
            _kept_and_scaled(x, 0.8),
        ),
        Case(
            "backward with the forward's mask",
            (
                Call("dropout_forward", {"x": x, "p": 0.3, "rng": r(4)}),
                Call("dropout_backward", {"dout": dout, "mask": Ref(0, 1)}),
            ),
            _backward_matches(0.3, dout),
        ),
        Case(
            "the same seed gives the same mask",
            tuple(Call("dropout_forward", {"x": small, "p": 0.5, "rng": r(seed)}) for seed in (7, 7, 8)),
            _same_seed,
        ),
        Case(
            "p = 1 drops everything",
            (Call("dropout_forward", {"x": small, "p": 1.0, "rng": r(5)}),),
            lambda values: (
                _pair(values[0], "dropout_forward")
                or (
                    None
                    if np.array_equal(values[0][0], np.zeros_like(small))
                    else Mismatch(
                        "wrong values",
                        "every entry should be 0",
                        expected=show(np.zeros_like(small)),
                        got=show(values[0][0]),
                    )
                )
            ),
            hint="With p = 1, 1/(1 − p) is a division by zero (0 × inf = NaN): return zeros for p = 1.",
            no_warnings=True,
        ),
    ]


SPECS = {
    "dense-layer": Spec(
        _dense_cases,
        (
            Mistake(
                "dense_forward",
                "x·Wᵀ is PyTorch's (out, in) layout; here W is (in, out): y = x·W + b.",
                _dense_forward_transposed,
            ),
            Mistake("dense_forward", "The bias b is missing: y = x·W + b.", _dense_forward_no_bias),
            Mistake(
                "dense_backward",
                "db is the sum of dout over the batch, not its mean: b is added to every row, so "
                "every row's gradient reaches it.",
                _dense_backward_db_mean,
            ),
            Mistake(
                "dense_backward",
                "dW is transposed: ∂L/∂W = xᵀ·dout, of W's shape (in, out).",
                _dense_backward_dw_transposed,
            ),
            Mistake("dense_backward", "∂L/∂x = dout·Wᵀ: the transpose is missing.", _dense_backward_dx_no_transpose),
        ),
    ),
    "mlp-forward": Spec(
        _mlp_forward_cases,
        (
            Mistake(
                "mlp_forward",
                "The loss is halved: F.mse_loss is mean((ŷ − y)²), without the ½ some textbooks add.",
                _mlp_forward_half,
            ),
            Mistake("mlp_forward", "The loss is a sum; it is the mean over all N·K entries.", _mlp_forward_sum),
            Mistake(
                "mlp_forward",
                "The loss is divided by N only; the mean is over all N·K entries.",
                _mlp_forward_mean_over_n,
            ),
            Mistake(
                "mlp_forward",
                "The output layer must stay linear: no ReLU on ŷ (a price may be any real number).",
                _mlp_forward_relu_out,
            ),
            Mistake("mlp_forward", "The hidden ReLU is missing: h = max(z₁, 0).", _mlp_forward_no_relu),
        ),
    ),
    "mlp-backward": Spec(
        _mlp_backward_cases,
        (
            Mistake(
                "mlp_backward",
                "δ₂ is divided by N only; the MSE averages over all N·K entries: δ₂ = 2(ŷ − y)/(N·K).",
                lambda X, y, W1, b1, W2, b2: _mlp_backward(X, y, W1, b1, W2, b2, scale=y.shape[0]),
            ),
            Mistake(
                "mlp_backward",
                "The factor 2 of d(ŷ − y)²/dŷ is missing.",
                lambda X, y, W1, b1, W2, b2: _mlp_backward(X, y, W1, b1, W2, b2, scale=2 * y.size),
            ),
            Mistake(
                "mlp_backward",
                "The ReLU mask lets z = 0 through; PyTorch's ReLU′(0) is 0: use z > 0.",
                lambda X, y, W1, b1, W2, b2: _mlp_backward(X, y, W1, b1, W2, b2, mask=lambda z: z >= 0),
            ),
            Mistake(
                "mlp_backward",
                "The ReLU mask is missing: δ₁ = (δ₂·W₂ᵀ) ⊙ [z₁ > 0].",
                lambda X, y, W1, b1, W2, b2: _mlp_backward(X, y, W1, b1, W2, b2, mask=lambda z: np.ones_like(z)),
            ),
        ),
    ),
    "dropout": Spec(_dropout_cases),
}
