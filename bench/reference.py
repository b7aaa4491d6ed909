"""Time a few reference computations (best of several runs) and print a small table.

Run: python bench/reference.py   (not collected by pytest)
"""

import timeit

import numpy as np

from dlquiz.reference.attention import scaled_dot_product_attention
from dlquiz.reference.conv_design import grouped_conv2d
from dlquiz.reference.conv_transpose import conv_transpose2d
from dlquiz.reference.convolution import conv2d
from dlquiz.reference.long_context import blockwise_attention
from dlquiz.reference.recurrent import lstm_forward

REPEATS = 7


def best_time(fn, number):
    """Best wall-clock time of one call, in seconds, over REPEATS rounds of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=REPEATS)) / number


def cases():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3, 32, 32))
    w, b = rng.normal(size=(8, 3, 3, 3)), rng.normal(size=8)

    T, N, D, H = 50, 32, 32, 64
    xs, h0, c0 = rng.normal(size=(T, N, D)), np.zeros((N, H)), np.zeros((N, H))
    Wx, Wh = rng.normal(0, 0.1, size=(D, 4 * H)), rng.normal(0, 0.1, size=(H, 4 * H))
    bias = np.zeros(4 * H)

    q, k, v = (rng.normal(size=(1, 128, 64)) for _ in range(3))
    x_dw, w_dw = rng.normal(size=(16, 32, 32, 32)), rng.normal(size=(32, 1, 3, 3))
    y_up, w_up = rng.normal(size=(16, 8, 16, 16)), rng.normal(size=(8, 3, 4, 4))
    return [
        ("conv2d", "x (16,3,32,32), w (8,3,3,3), padding 0", lambda: conv2d(x, w, b), 20),
        ("lstm_forward", "T=50, N=32, D=32, H=64", lambda: lstm_forward(xs, h0, c0, Wx, Wh, bias), 10),
        ("scaled_dot_product_attention", "L=128, d=64", lambda: scaled_dot_product_attention(q, k, v), 50),
        ("blockwise_attention", "L=128, d=64, blocks of 32", lambda: blockwise_attention(q, k, v, 32), 50),
        (
            "grouped_conv2d (depthwise)",
            "x (16,32,32,32), w (32,1,3,3)",
            lambda: grouped_conv2d(x_dw, w_dw, groups=32),
            20,
        ),
        (
            "conv_transpose2d",
            "x (16,8,16,16), w (8,3,4,4), stride 2",
            lambda: conv_transpose2d(y_up, w_up, stride=2),
            20,
        ),
    ]


def main():
    rows = [(name, shape, best_time(fn, number)) for name, shape, fn, number in cases()]
    name_w = max(len(r[0]) for r in rows)
    shape_w = max(len(r[1]) for r in rows)
    print(f"numpy {np.__version__}; best of {REPEATS} rounds")
    print(f"{'function':<{name_w}}  {'input':<{shape_w}}  {'time (ms)':>10}")
    print("-" * (name_w + shape_w + 14))
    for name, shape, seconds in rows:
        print(f"{name:<{name_w}}  {shape:<{shape_w}}  {seconds * 1e3:>10.3f}")


if __name__ == "__main__":
    main()
