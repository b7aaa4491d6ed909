"""Checks for the CNN exercises: conv2d, im2col, conv2d backward, max pooling forward and backward."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import compare_case, fd_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.convolution import conv2d, conv2d_backward, max_pool2d, max_pool2d_backward

CONV_GRAD_NAMES = ("dx", "dw", "db")
FLOOR_HINT = "The output size is ⌊(H + 2P − k)/S⌋ + 1: windows that would run past the padded edge are not computed."


def _pad(x, p):
    return np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))


def _conv_inputs(rng, x_shape, w_shape, decimals=0):
    scale = 3 if decimals == 0 else 1
    return (
        rounded(rng.normal(0, scale, x_shape), decimals),
        rounded(rng.normal(0, scale, w_shape), decimals),
        rounded(rng.normal(0, scale, w_shape[0]), decimals),
    )


# (name, x shape, w shape, stride, padding, hint): small and readable first, the edge cases after
CONV_SHAPES = [
    ("one 4 × 4 channel, a 3 × 3 kernel", (1, 1, 4, 4), (1, 1, 3, 3), 1, 0, ""),
    ("padding 1", (1, 2, 4, 4), (2, 2, 3, 3), 1, 1, "Pad only the two spatial axes, by P on each side."),
    ("stride 2, padding 1, odd size 7 × 7", (2, 3, 7, 7), (4, 3, 3, 3), 2, 1, FLOOR_HINT),
    ("stride 2, windows that do not fill the input", (1, 1, 6, 6), (1, 1, 3, 3), 2, 0, FLOOR_HINT),
    ("a 1 × 1 kernel", (2, 3, 3, 3), (2, 3, 1, 1), 1, 0, ""),
    ("a 2 × 3 kernel on a 5 × 6 image, padding 2", (1, 2, 5, 6), (3, 2, 2, 3), 1, 2, ""),
    ("stride 3, padding 2", (2, 2, 8, 7), (2, 2, 3, 3), 3, 2, FLOOR_HINT),
]


def _conv_cases(rng):
    x, w, b = _conv_inputs(rng, (1, 1, 4, 5), (2, 1, 2, 2))
    cases = [
        compare_case(
            "the defaults: stride 1, no padding", "conv2d", {"x": x, "w": w, "b": b}, conv2d(x, w, b), hint=FLOOR_HINT
        )
    ]
    for name, xs, ws, s, p, hint in CONV_SHAPES:
        x, w, b = _conv_inputs(rng, xs, ws)
        cases.append(
            compare_case(
                name,
                "conv2d",
                {"x": x, "w": w, "b": b},
                conv2d(x, w, b, s, p),
                kwargs={"stride": s, "padding": p},
                hint=hint,
            )
        )
    x, w, b = _conv_inputs(rng, (8, 3, 32, 32), (8, 3, 3, 3), 6)
    cases.append(
        compare_case(
            "8 images of 3 × 32 × 32, 8 filters",
            "conv2d",
            {"x": x, "w": w, "b": b},
            conv2d(x, w, b, 1, 1),
            kwargs={"stride": 1, "padding": 1},
            timed=True,
            reference=lambda: conv2d(x, w, b, 1, 1),
        )
    )
    return cases


def _conv_flipped(x, w, b, stride=1, padding=0):
    return conv2d(x, w[:, :, ::-1, ::-1], b, stride, padding)


def _conv_one_sided(x, w, b, stride=1, padding=0):
    xp = np.pad(x, ((0, 0), (0, 0), (0, 2 * padding), (0, 2 * padding)))
    return conv2d(xp, w, b, stride, 0)


def _conv_no_bias(x, w, b, stride=1, padding=0):  # noqa: ARG001
    return conv2d(x, w, None, stride, padding)


# --------------------------------------------------------------------------- im2col


def _im2col(x, kh, kw, stride=1, padding=0):
    windows = sliding_window_view(_pad(x, padding), (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    n, c, ho, wo = windows.shape[:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, c * kh * kw)


def _im2col_cases(rng):
    x = rounded(rng.normal(0, 3, (1, 2, 3, 4)), 0)
    cases = [compare_case("the defaults: stride 1, no padding", "im2col", {"x": x, "kh": 2, "kw": 2}, _im2col(x, 2, 2))]
    for name, xs, ws, s, p, hint in CONV_SHAPES[:4] + CONV_SHAPES[5:]:
        x = rounded(rng.normal(0, 3, xs), 0)
        kh, kw = ws[2:]
        cases.append(
            compare_case(
                name,
                "im2col",
                {"x": x, "kh": kh, "kw": kw},
                _im2col(x, kh, kw, s, p),
                kwargs={"stride": s, "padding": p},
                hint=hint
                or "Rows go image by image, then output row i, then column j; columns go channel, then u, then v.",
            )
        )
    return cases


def _im2col_column_order(x, kh, kw, stride=1, padding=0):
    windows = sliding_window_view(_pad(x, padding), (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    n, c, ho, wo = windows.shape[:4]
    return windows.transpose(0, 2, 3, 4, 5, 1).reshape(n * ho * wo, c * kh * kw)


def _im2col_no_padding(x, kh, kw, stride=1, padding=0):  # noqa: ARG001
    return _im2col(x, kh, kw, stride, 0)


# --------------------------------------------------------------------------- conv2d backward


def _conv_backward_cases(rng):
    x, w, _ = _conv_inputs(rng, (1, 1, 4, 5), (2, 1, 2, 2))
    dout = rounded(rng.normal(0, 2, (1, 2, 3, 4)), 0)
    cases = [
        compare_case(
            "the defaults: stride 1, no padding",
            "conv2d_backward",
            {"dout": dout, "x": x, "w": w},
            conv2d_backward(dout, x, w),
            names=CONV_GRAD_NAMES,
        )
    ]
    for name, xs, ws, s, p, hint in [CONV_SHAPES[0], CONV_SHAPES[2], CONV_SHAPES[3], CONV_SHAPES[5]]:
        x, w, _ = _conv_inputs(rng, xs, ws)
        dout = rounded(rng.normal(0, 2, conv2d(x, w, None, s, p).shape), 0)
        cases.append(
            compare_case(
                name,
                "conv2d_backward",
                {"dout": dout, "x": x, "w": w},
                conv2d_backward(dout, x, w, s, p),
                kwargs={"stride": s, "padding": p},
                names=CONV_GRAD_NAMES,
                hint=hint,
            )
        )
    x, w, b = _conv_inputs(rng, (2, 2, 5, 5), (3, 2, 3, 3), 6)
    dout = rng.normal(0, 1, (2, 3, 3, 3))
    cases.append(
        fd_case(
            "finite differences, stride 2, padding 1",
            "conv2d_backward",
            {"dout": dout, "x": x, "w": w},
            lambda x, w, b: conv2d(x, w, b, 2, 1),
            {"x": x, "w": w, "b": b},
            ["x", "w", "b"],
            dout,
            kwargs={"stride": 2, "padding": 1},
            names=CONV_GRAD_NAMES,
        )
    )
    return cases


def _conv_backward_flipped(dout, x, w, stride=1, padding=0):
    dx, dw, db = conv2d_backward(dout, x, w[:, :, ::-1, ::-1], stride, padding)
    return dx, dw[:, :, ::-1, ::-1], db


def _conv_backward_db_mean(dout, x, w, stride=1, padding=0):
    dx, dw, _ = conv2d_backward(dout, x, w, stride, padding)
    return dx, dw, dout.mean(axis=(0, 2, 3))


# --------------------------------------------------------------------------- max pooling


def _pool_cases(rng):
    x = np.array([[[[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 3.0, 3.0], [2.0, 6.0, 1.0, 0.0]]]])
    ties = np.array([[[[2.0, 2.0, 1.0, 3.0], [2.0, 0.0, 3.0, 3.0]]]])
    odd = rounded(rng.normal(0, 3, (1, 1, 5, 5)), 0)
    wide = rounded(rng.normal(0, 3, (1, 2, 4, 7)), 0)
    d_wide = rounded(rng.normal(0, 2, (1, 2, 1, 3)), 0)
    multi = rounded(rng.normal(0, 3, (2, 3, 6, 6)), 1)
    overlap = rounded(rng.normal(0, 3, (1, 2, 5, 5)), 0)
    d_x = rounded(rng.normal(0, 2, (1, 1, 2, 2)), 0)
    d_overlap = rounded(rng.normal(0, 2, (1, 2, 3, 3)), 0)
    d_multi = rounded(rng.normal(0, 2, (2, 3, 2, 2)), 1)
    timed = rng.normal(0, 1, (8, 8, 64, 64))

    def forward(name, x, k, s=None, hint=""):
        kwargs = {} if s is None else {"stride": s}
        return compare_case(
            name, "max_pool_forward", {"x": x, "kernel": k}, max_pool2d(x, k, s), kwargs=kwargs, hint=hint
        )

    def backward(name, dout, x, k, s=None, hint=""):
        kwargs = {} if s is None else {"stride": s}
        expected = max_pool2d_backward(dout, x, k, s)
        return compare_case(
            name, "max_pool_backward", {"dout": dout, "x": x, "kernel": k}, expected, kwargs=kwargs, hint=hint
        )

    return [
        forward("forward, 2 × 2 windows on 4 × 4", x, 2),
        forward("forward, odd size 5 × 5", odd, 2, hint=FLOOR_HINT),
        forward("forward, 3 × 3 windows, stride 1 (overlapping)", overlap, 3, 1),
        forward("forward, 3 × 3 windows, stride 2", multi, 3, 2, hint=FLOOR_HINT),
        forward("forward, a 4 × 7 image", wide, 2, hint="Height and width have their own output sizes."),
        backward("backward, 2 × 2 windows on 4 × 4", d_x, x, 2),
        backward(
            "backward, ties inside a window",
            np.array([[[[1.0, 2.0]]]]),
            ties,
            2,
            hint="When entries tie for the maximum, only the first in row-major order gets the gradient (PyTorch's "
            "CPU kernel); a mask x == max sends it to every tied entry.",
        ),
        backward(
            "backward, overlapping windows add up",
            d_overlap,
            overlap,
            3,
            1,
            hint="With stride < kernel an input can be the maximum of several windows: add their gradients (+=).",
        ),
        backward("backward, 2 channels × 2 images, 3 × 3 windows, stride 2", d_multi, multi, 3, 2, hint=FLOOR_HINT),
        backward("backward, a 4 × 7 image, 3 × 3 windows, stride 2", d_wide, wide, 3, 2),
        compare_case(
            "forward, 8 × 8 × 64 × 64",
            "max_pool_forward",
            {"x": timed, "kernel": 2},
            max_pool2d(timed, 2),
            timed=True,
            reference=lambda: max_pool2d(timed, 2),
        ),
    ]


def _pool_backward_all_ties(dout, x, kernel, stride=None):
    s = kernel if stride is None else stride
    windows = sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::s, ::s]
    ho, wo = dout.shape[2:]
    is_max = windows == windows.max(axis=(-2, -1), keepdims=True)
    dx = np.zeros_like(x)
    for i in range(ho):
        for j in range(wo):
            dx[:, :, i * s : i * s + kernel, j * s : j * s + kernel] += (
                is_max[:, :, i, j] * dout[:, :, i, j, None, None]
            )
    return dx


def _pool_backward_overwrite(dout, x, kernel, stride=None):
    s = kernel if stride is None else stride
    windows = sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::s, ::s]
    ho, wo = dout.shape[2:]
    flat = windows.reshape(windows.shape[:4] + (-1,)).argmax(axis=-1)
    dx = np.zeros_like(x)
    for i in range(ho):
        for j in range(wo):
            for n in range(x.shape[0]):
                for c in range(x.shape[1]):
                    u, v = divmod(flat[n, c, i, j], kernel)
                    dx[n, c, i * s + u, j * s + v] = dout[n, c, i, j]
    return dx


def _pool_stride_one(x, kernel, stride=None):
    return max_pool2d(x, kernel, 1 if stride is None else stride)


SPECS = {
    "conv2d": Spec(
        _conv_cases,
        (
            Mistake(
                "conv2d",
                "The kernel is flipped: deep-learning convolution is cross-correlation, x̃[i·S + u, j·S + v]·w[u, v] "
                "with no flip.",
                _conv_flipped,
            ),
            Mistake(
                "conv2d",
                "The padding is all on one side: pad P zeros on each side (top and bottom, left and right).",
                _conv_one_sided,
            ),
            Mistake("conv2d", "The bias is missing: add b[f] to every output position of filter f.", _conv_no_bias),
        ),
    ),
    "im2col": Spec(
        _im2col_cases,
        (
            Mistake(
                "im2col",
                "The columns are in (u, v, c) order; flatten each window in (c, u, v) order, like w.reshape(F, −1).",
                _im2col_column_order,
            ),
            Mistake(
                "im2col",
                "The padding is missing: pad the spatial axes by P zeros on each side first.",
                _im2col_no_padding,
            ),
        ),
    ),
    "conv2d-backward": Spec(
        _conv_backward_cases,
        (
            Mistake(
                "conv2d_backward",
                "The kernel is used flipped in the backward pass where the forward used it as is.",
                _conv_backward_flipped,
            ),
            Mistake(
                "conv2d_backward",
                "db sums dout over the batch and every position: the bias is added at each of them.",
                _conv_backward_db_mean,
            ),
        ),
    ),
    "max-pool": Spec(
        _pool_cases,
        (
            Mistake(
                "max_pool_backward",
                "The gradient goes to every entry that ties for the maximum; only the first maximum "
                "(row-major) gets it.",
                _pool_backward_all_ties,
            ),
            Mistake(
                "max_pool_backward",
                "Overlapping windows overwrite each other's gradient (=); they must add up (+=).",
                _pool_backward_overwrite,
            ),
            Mistake(
                "max_pool_forward",
                "The stride defaults to the kernel size, not to 1 (F.max_pool2d's default).",
                _pool_stride_one,
            ),
        ),
    ),
}
