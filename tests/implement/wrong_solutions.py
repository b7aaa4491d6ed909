"""Realistic wrong solutions, as data: each is code a person writes in an interview, with a classic mistake.

Every one must fail its exercise's checks, and the report must name the mistake: ``says`` is a phrase
the failures' problems, details or hints must contain (case-insensitive).
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class Wrong:
    exercise: str
    name: str
    says: str
    source: str


def W(exercise: str, name: str, says: str, source: str) -> Wrong:
    return Wrong(exercise, name, says, dedent(source).lstrip("\n"))


WRONG: tuple[Wrong, ...] = (
    W(
        "stable-sigmoid",
        "textbook form",
        "overflow",
        """
        import numpy as np
        def sigmoid(x):
            return 1 / (1 + np.exp(-x))
        """,
    ),
    W(
        "stable-sigmoid",
        "e^x over 1 + e^x",
        "inf/inf",
        """
        import numpy as np
        def sigmoid(x):
            return np.exp(x) / (1 + np.exp(x))
        """,
    ),
    W(
        "softmax",
        "no max subtraction",
        "subtract each slice's maximum",
        """
        import numpy as np
        def softmax(x, axis=-1):
            e = np.exp(x)
            return e / e.sum(axis=axis, keepdims=True)
        """,
    ),
    W(
        "softmax",
        "global maximum",
        "own maximum",
        """
        import numpy as np
        def softmax(x, axis=-1):
            e = np.exp(x - x.max())
            return e / e.sum(axis=axis, keepdims=True)
        """,
    ),
    W(
        "softmax",
        "sum without keepdims",
        "keepdims",
        """
        import numpy as np
        def softmax(x, axis=-1):
            e = np.exp(x - x.max(axis=axis, keepdims=True))
            return e / e.sum(axis=axis)
        """,
    ),
    W(
        "softmax",
        "subtracts in place",
        "in place",
        """
        import numpy as np
        def softmax(x, axis=-1):
            x -= x.max(axis=axis, keepdims=True)
            e = np.exp(x)
            return e / e.sum(axis=axis, keepdims=True)
        """,
    ),
    W(
        "softmax",
        "axis ignored",
        "axis argument is ignored",
        """
        import numpy as np
        def softmax(x, axis=-1):
            e = np.exp(x - x.max(axis=-1, keepdims=True))
            return e / e.sum(axis=-1, keepdims=True)
        """,
    ),
    W(
        "log-softmax",
        "log of softmax",
        "log 0",
        """
        import numpy as np
        def log_softmax(x, axis=-1):
            e = np.exp(x - x.max(axis=axis, keepdims=True))
            return np.log(e / e.sum(axis=axis, keepdims=True))
        """,
    ),
    W(
        "log-softmax",
        "max not added back",
        "add it back",
        """
        import numpy as np
        def log_softmax(x, axis=-1):
            m = x.max(axis=axis, keepdims=True)
            return x - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
        """,
    ),
    W(
        "softmax-backward",
        "the diagonal only",
        "diagonal",
        """
        import numpy as np
        def softmax_backward(dp, p):
            return dp * p * (1 - p)
        """,
    ),
    W(
        "softmax-backward",
        "one sum over everything",
        "per row",
        """
        import numpy as np
        def softmax_backward(dp, p):
            return p * (dp - np.sum(dp * p))
        """,
    ),
    W(
        "cross-entropy",
        "sum over the batch",
        "sums",
        """
        import numpy as np
        def cross_entropy(logits, targets):
            z = logits - logits.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            n = len(targets)
            grad = np.exp(logp)
            grad[np.arange(n), targets] -= 1
            return -logp[np.arange(n), targets].sum(), grad
        """,
    ),
    W(
        "cross-entropy",
        "gradient not divided by N",
        "1/n",
        """
        import numpy as np
        def cross_entropy(logits, targets):
            z = logits - logits.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            n = len(targets)
            grad = np.exp(logp)
            grad[np.arange(n), targets] -= 1
            return -logp[np.arange(n), targets].mean(), grad
        """,
    ),
    W(
        "cross-entropy",
        "log of softmax probabilities",
        "logsumexp",
        """
        import numpy as np
        def cross_entropy(logits, targets):
            e = np.exp(logits)
            p = e / e.sum(axis=1, keepdims=True)
            n = len(targets)
            loss = -np.log(p[np.arange(n), targets]).mean()
            grad = p.copy()
            grad[np.arange(n), targets] -= 1
            return loss, grad / n
        """,
    ),
    W(
        "cross-entropy",
        "one-hot not subtracted",
        "one-hot",
        """
        import numpy as np
        def cross_entropy(logits, targets):
            z = logits - logits.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            n = len(targets)
            return -logp[np.arange(n), targets].mean(), np.exp(logp) / n
        """,
    ),
    W(
        "bce-with-logits",
        "through the sigmoid",
        "confident",
        """
        import numpy as np
        def bce_with_logits(z, y):
            p = 1 / (1 + np.exp(-z))
            loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
            return loss, (p - y) / z.size
        """,
    ),
    W(
        "bce-with-logits",
        "gradient not averaged",
        "1/n",
        """
        import numpy as np
        def bce_with_logits(z, y):
            loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
            p = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
            return loss, p - y
        """,
    ),
    W(
        "dense-layer",
        "bias gradient as a mean",
        "sum of dout",
        """
        import numpy as np
        def dense_forward(x, W, b):
            return x @ W + b

        def dense_backward(dout, x, W):
            return dout @ W.T, x.T @ dout, dout.mean(axis=0)
        """,
    ),
    W(
        "dense-layer",
        "weight gradient transposed",
        "transposed",
        """
        import numpy as np
        def dense_forward(x, W, b):
            return x @ W + b

        def dense_backward(dout, x, W):
            return dout @ W.T, dout.T @ x, dout.sum(axis=0)
        """,
    ),
    W(
        "dense-layer",
        "PyTorch's layout in the forward",
        "inner sizes",
        """
        import numpy as np
        def dense_forward(x, W, b):
            return x @ W.T + b

        def dense_backward(dout, x, W):
            return dout @ W.T, x.T @ dout, dout.sum(axis=0)
        """,
    ),
    W(
        "mlp-forward",
        "half the MSE",
        "halved",
        """
        import numpy as np
        def mlp_forward(X, y, W1, b1, W2, b2):
            y_hat = np.maximum(X @ W1 + b1, 0) @ W2 + b2
            return y_hat, 0.5 * np.mean((y_hat - y) ** 2)
        """,
    ),
    W(
        "mlp-forward",
        "mean over the batch only",
        "n·k",
        """
        import numpy as np
        def mlp_forward(X, y, W1, b1, W2, b2):
            y_hat = np.maximum(X @ W1 + b1, 0) @ W2 + b2
            return y_hat, np.sum((y_hat - y) ** 2) / len(X)
        """,
    ),
    W(
        "mlp-forward",
        "ReLU on the output",
        "linear",
        """
        import numpy as np
        def mlp_forward(X, y, W1, b1, W2, b2):
            y_hat = np.maximum(np.maximum(X @ W1 + b1, 0) @ W2 + b2, 0)
            return y_hat, np.mean((y_hat - y) ** 2)
        """,
    ),
    W(
        "mlp-backward",
        "ReLU mask z ≥ 0",
        "z > 0",
        """
        import numpy as np
        def mlp_backward(X, y, W1, b1, W2, b2):
            z1 = X @ W1 + b1
            h = np.maximum(z1, 0)
            d = 2 * (h @ W2 + b2 - y) / y.size
            dz1 = d @ W2.T * (z1 >= 0)
            return X.T @ dz1, dz1.sum(0), h.T @ d, d.sum(0)
        """,
    ),
    W(
        "mlp-backward",
        "divided by N only",
        "n·k",
        """
        import numpy as np
        def mlp_backward(X, y, W1, b1, W2, b2):
            z1 = X @ W1 + b1
            h = np.maximum(z1, 0)
            d = 2 * (h @ W2 + b2 - y) / len(X)
            dz1 = d @ W2.T * (z1 > 0)
            return X.T @ dz1, dz1.sum(0), h.T @ d, d.sum(0)
        """,
    ),
    W(
        "mlp-backward",
        "no ReLU mask",
        "mask is missing",
        """
        import numpy as np
        def mlp_backward(X, y, W1, b1, W2, b2):
            z1 = X @ W1 + b1
            h = np.maximum(z1, 0)
            d = 2 * (h @ W2 + b2 - y) / y.size
            dz1 = d @ W2.T
            return X.T @ dz1, dz1.sum(0), h.T @ d, d.sum(0)
        """,
    ),
    W(
        "dropout",
        "divided by p",
        "divided by p",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training or p == 0:
                return x, np.ones_like(x)
            if p == 1:
                return np.zeros_like(x), np.zeros_like(x)
            mask = (rng.random(x.shape) >= p) / p
            return x * mask, mask

        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    W(
        "dropout",
        "not rescaled",
        "not rescaled",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training:
                return x, np.ones_like(x)
            mask = rng.random(x.shape) >= p
            return x * mask, mask

        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    W(
        "dropout",
        "p as the keep probability",
        "probability of dropping",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training or p in (0, 1):
                return (x, np.ones_like(x)) if p == 0 or not training else (0 * x, 0 * x)
            mask = (rng.random(x.shape) < p) / p
            return x * mask, mask

        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    W(
        "dropout",
        "NumPy's global generator",
        "rng",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training or p == 0:
                return x, np.ones_like(x)
            if p == 1:
                return np.zeros_like(x), np.zeros_like(x)
            mask = (np.random.rand(*x.shape) >= p) / (1 - p)
            return x * mask, mask

        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    W(
        "dropout",
        "one mask for the whole batch",
        "same mask",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training or p == 0:
                return x, np.ones_like(x)
            if p == 1:
                return np.zeros_like(x), np.zeros_like(x)
            mask = (rng.random(x.shape[-1]) >= p) / (1 - p)
            return x * mask, np.broadcast_to(mask, x.shape)

        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    W(
        "dropout",
        "scaled at test time",
        "unchanged",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training:
                return x * (1 - p), np.ones_like(x)
            if p == 1:
                return np.zeros_like(x), np.zeros_like(x)
            mask = (rng.random(x.shape) >= p) / (1 - p)
            return x * mask, mask

        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    W(
        "dropout",
        "p = 1 divides by zero",
        "p = 1",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training:
                return x, np.ones_like(x)
            mask = (rng.random(x.shape) >= p) / (1 - p)
            return x * mask, mask

        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    W(
        "batchnorm-forward",
        "unbiased variance",
        "unbiased",
        """
        import numpy as np
        def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
            if not training:
                return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
            mu, var = x.mean(0), x.var(0, ddof=1)
            out = gamma * (x - mu) / np.sqrt(var + eps) + beta
            return out, (1 - momentum) * running_mean + momentum * mu, (1 - momentum) * running_var + momentum * var
        """,
    ),
    W(
        "batchnorm-forward",
        "biased running variance",
        "running variance",
        """
        import numpy as np
        def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
            if not training:
                return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
            mu, var = x.mean(0), x.var(0)
            out = gamma * (x - mu) / np.sqrt(var + eps) + beta
            return out, (1 - momentum) * running_mean + momentum * mu, (1 - momentum) * running_var + momentum * var
        """,
    ),
    W(
        "batchnorm-forward",
        "batch statistics in inference",
        "running statistics",
        """
        import numpy as np
        def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
            mu, var = x.mean(0), x.var(0)
            out = gamma * (x - mu) / np.sqrt(var + eps) + beta
            if not training:
                return out, running_mean, running_var
            n = len(x)
            new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
            return out, (1 - momentum) * running_mean + momentum * mu, new_var
        """,
    ),
    W(
        "batchnorm-forward",
        "momentum the other way round",
        "weight of the new batch",
        """
        import numpy as np
        def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
            if not training:
                return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
            n = len(x)
            mu, var = x.mean(0), x.var(0)
            out = gamma * (x - mu) / np.sqrt(var + eps) + beta
            new_var = momentum * running_var + (1 - momentum) * var * n / (n - 1)
            return out, momentum * running_mean + (1 - momentum) * mu, new_var
        """,
    ),
    W(
        "batchnorm-forward",
        "running statistics updated in place",
        "in place",
        """
        import numpy as np
        def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
            if not training:
                return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
            n = len(x)
            mu, var = x.mean(0), x.var(0)
            running_mean *= 1 - momentum
            running_mean += momentum * mu
            running_var *= 1 - momentum
            running_var += momentum * var * n / (n - 1)
            return gamma * (x - mu) / np.sqrt(var + eps) + beta, running_mean, running_var
        """,
    ),
    W(
        "batchnorm-backward",
        "statistics treated as constants",
        "constants",
        """
        import numpy as np
        def batchnorm_backward(dout, x, gamma, eps=1e-5):
            x_hat = (x - x.mean(0)) / np.sqrt(x.var(0) + eps)
            return dout * gamma / np.sqrt(x.var(0) + eps), (dout * x_hat).sum(0), dout.sum(0)
        """,
    ),
    W(
        "layernorm",
        "over the batch axis",
        "batch",
        """
        import numpy as np
        def layernorm(x, gamma, beta, eps=1e-5):
            return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + beta
        """,
    ),
    W(
        "layernorm",
        "unbiased variance",
        "biased variance",
        """
        import numpy as np
        def layernorm(x, gamma, beta, eps=1e-5):
            m = x.mean(-1, keepdims=True)
            return gamma * (x - m) / np.sqrt(x.var(-1, ddof=1, keepdims=True) + eps) + beta
        """,
    ),
    W(
        "layernorm",
        "eps outside the root",
        "inside the square root",
        """
        import numpy as np
        def layernorm(x, gamma, beta, eps=1e-5):
            m = x.mean(-1, keepdims=True)
            return gamma * (x - m) / (x.std(-1, keepdims=True) + eps) + beta
        """,
    ),
    W(
        "conv2d",
        "true convolution (kernel flipped)",
        "flipped",
        """
        import numpy as np
        def conv2d(x, w, b, stride=1, padding=0):
            w = w[:, :, ::-1, ::-1]
            x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
            n, c, h, wd = x.shape
            f, _, kh, kw = w.shape
            ho, wo = (h - kh) // stride + 1, (wd - kw) // stride + 1
            out = np.zeros((n, f, ho, wo))
            for i in range(ho):
                for j in range(wo):
                    patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
            return out + b[:, None, None]
        """,
    ),
    W(
        "conv2d",
        "padding on one side",
        "one side",
        """
        import numpy as np
        def conv2d(x, w, b, stride=1, padding=0):
            x = np.pad(x, ((0, 0), (0, 0), (0, 2 * padding), (0, 2 * padding)))
            n, c, h, wd = x.shape
            f, _, kh, kw = w.shape
            ho, wo = (h - kh) // stride + 1, (wd - kw) // stride + 1
            out = np.zeros((n, f, ho, wo))
            for i in range(ho):
                for j in range(wo):
                    patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
            return out + b[:, None, None]
        """,
    ),
    W(
        "conv2d",
        "output size one too small",
        "shape",
        """
        import numpy as np
        def conv2d(x, w, b, stride=1, padding=0):
            x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
            n, c, h, wd = x.shape
            f, _, kh, kw = w.shape
            ho, wo = (h - kh) // stride, (wd - kw) // stride
            out = np.zeros((n, f, ho, wo))
            for i in range(ho):
                for j in range(wo):
                    patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
            return out + b[:, None, None]
        """,
    ),
    W(
        "im2col",
        "columns in (u, v, c) order",
        "(c, u, v)",
        """
        import numpy as np
        def im2col(x, kh, kw, stride=1, padding=0):
            x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
            n, c, h, w = x.shape
            ho, wo = (h - kh) // stride + 1, (w - kw) // stride + 1
            rows = []
            for k in range(n):
                for i in range(ho):
                    for j in range(wo):
                        win = x[k, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                        rows.append(win.transpose(1, 2, 0).ravel())
            return np.array(rows)
        """,
    ),
    W(
        "conv2d-backward",
        "bias gradient as a mean",
        "db sums",
        """
        import numpy as np
        def conv2d_backward(dout, x, w, stride=1, padding=0):
            xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
            dxp, dw = np.zeros_like(xp), np.zeros_like(w)
            f, c, kh, kw = w.shape
            ho, wo = dout.shape[2:]
            for i in range(ho):
                for j in range(wo):
                    rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
                    sl = (slice(None), slice(None), rows, cols)
                    dw += np.einsum('nf,nchw->fchw', dout[:, :, i, j], xp[sl])
                    dxp[sl] += np.einsum('nf,fchw->nchw', dout[:, :, i, j], w)
            h, wd = x.shape[2:]
            return dxp[:, :, padding:padding + h, padding:padding + wd], dw, dout.mean(axis=(0, 2, 3))
        """,
    ),
    W(
        "max-pool",
        "ties all get the gradient",
        "first",
        """
        import numpy as np
        def max_pool_forward(x, kernel, stride=None):
            s = stride or kernel
            n, c, h, w = x.shape
            ho, wo = (h - kernel) // s + 1, (w - kernel) // s + 1
            out = np.empty((n, c, ho, wo))
            for i in range(ho):
                for j in range(wo):
                    out[:, :, i, j] = x[:, :, i * s:i * s + kernel, j * s:j * s + kernel].max(axis=(2, 3))
            return out

        def max_pool_backward(dout, x, kernel, stride=None):
            s = stride or kernel
            dx = np.zeros_like(x)
            ho, wo = dout.shape[2:]
            for i in range(ho):
                for j in range(wo):
                    win = x[:, :, i * s:i * s + kernel, j * s:j * s + kernel]
                    mask = win == win.max(axis=(2, 3), keepdims=True)
                    dx[:, :, i * s:i * s + kernel, j * s:j * s + kernel] += mask * dout[:, :, i:i + 1, j:j + 1]
            return dx
        """,
    ),
    W(
        "max-pool",
        "stride 1 by default",
        "stride defaults",
        """
        import numpy as np
        def max_pool_forward(x, kernel, stride=1):
            n, c, h, w = x.shape
            ho, wo = (h - kernel) // stride + 1, (w - kernel) // stride + 1
            out = np.empty((n, c, ho, wo))
            for i in range(ho):
                for j in range(wo):
                    window = x[:, :, i * stride:i * stride + kernel, j * stride:j * stride + kernel]
                    out[:, :, i, j] = window.max(axis=(2, 3))
            return out

        def max_pool_backward(dout, x, kernel, stride=1):
            return np.zeros_like(x)
        """,
    ),
    W(
        "attention",
        "no scaling",
        "√d",
        """
        import numpy as np
        def attention(q, k, v, mask=None):
            s = q @ np.swapaxes(k, -1, -2)
            if mask is not None:
                s = np.where(mask, s, -np.inf)
            e = np.exp(s - s.max(-1, keepdims=True))
            a = e / e.sum(-1, keepdims=True)
            return a @ v, a
        """,
    ),
    W(
        "attention",
        "k.T on batched input",
        "transpose",
        """
        import numpy as np
        def attention(q, k, v, mask=None):
            s = q @ k.T / np.sqrt(q.shape[-1])
            if mask is not None:
                s = np.where(mask, s, -np.inf)
            e = np.exp(s - s.max(-1, keepdims=True))
            a = e / e.sum(-1, keepdims=True)
            return a @ v, a
        """,
    ),
    W(
        "attention",
        "mask inverted",
        "inverted",
        """
        import numpy as np
        def attention(q, k, v, mask=None):
            s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
            if mask is not None:
                s = np.where(mask, -np.inf, s)
            e = np.exp(s - s.max(-1, keepdims=True))
            a = e / e.sum(-1, keepdims=True)
            return a @ v, a
        """,
    ),
    W(
        "attention",
        "a large negative fill",
        "large negative",
        """
        import numpy as np
        def attention(q, k, v, mask=None):
            s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
            if mask is not None:
                s = np.where(mask, s, -1e9)
            e = np.exp(s - s.max(-1, keepdims=True))
            a = e / e.sum(-1, keepdims=True)
            return a @ v, a
        """,
    ),
    W(
        "multi-head-attention",
        "heads split by a plain reshape",
        "mixes tokens and heads",
        """
        import numpy as np
        def multi_head_attention(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
            L, E = x.shape
            hd = E // num_heads
            q, k, v = ((x @ W).reshape(num_heads, L, hd) for W in (Wq, Wk, Wv))
            s = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
            if mask is not None:
                s = np.where(mask, s, -np.inf)
            e = np.exp(s - s.max(-1, keepdims=True))
            a = e / e.sum(-1, keepdims=True)
            return (a @ v).reshape(L, E) @ Wo
        """,
    ),
    W(
        "multi-head-attention",
        "scaled by the model width",
        "√hd",
        """
        import numpy as np
        def multi_head_attention(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
            L, E = x.shape
            hd = E // num_heads
            q, k, v = ((x @ W).reshape(L, num_heads, hd).transpose(1, 0, 2) for W in (Wq, Wk, Wv))
            s = q @ k.transpose(0, 2, 1) / np.sqrt(E)
            if mask is not None:
                s = np.where(mask, s, -np.inf)
            e = np.exp(s - s.max(-1, keepdims=True))
            a = e / e.sum(-1, keepdims=True)
            return (a @ v).transpose(1, 0, 2).reshape(L, E) @ Wo
        """,
    ),
    W(
        "positional-encoding",
        "sines then cosines",
        "interleaves",
        """
        import numpy as np
        def positional_encoding(length, d_model):
            pos = np.arange(length)[:, None]
            i = np.arange(0, d_model, 2)
            ang = pos / 10000 ** (i / d_model)
            return np.concatenate([np.sin(ang), np.cos(ang[:, : d_model // 2])], axis=1)
        """,
    ),
    W(
        "positional-encoding",
        "exponent i/d",
        "2i",
        """
        import numpy as np
        def positional_encoding(length, d_model):
            pe = np.zeros((length, d_model))
            pos = np.arange(length)[:, None]
            i = np.arange(0, d_model, 2)
            ang = pos / 10000 ** ((i // 2) / d_model)
            pe[:, 0::2] = np.sin(ang)
            pe[:, 1::2] = np.cos(ang[:, : d_model // 2])
            return pe
        """,
    ),
    W(
        "rnn-forward",
        "h0 at every step",
        "carry over",
        """
        import numpy as np
        def rnn_forward(xs, h0, Wx, Wh, b):
            return np.stack([np.tanh(x @ Wx + h0 @ Wh + b) for x in xs])
        """,
    ),
    W(
        "rnn-forward",
        "the last state only",
        "last hidden state only",
        """
        import numpy as np
        def rnn_forward(xs, h0, Wx, Wh, b):
            h = h0
            for x in xs:
                h = np.tanh(x @ Wx + h @ Wh + b)
            return h
        """,
    ),
    W(
        "rnn-backward",
        "nothing carried back",
        "carried back",
        """
        import numpy as np
        def rnn_backward(dhs, xs, h0, Wx, Wh, b):
            hs = [h0]
            for x in xs:
                hs.append(np.tanh(x @ Wx + hs[-1] @ Wh + b))
            dxs = np.zeros_like(xs)
            dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
            dh0 = np.zeros_like(h0)
            for t in reversed(range(len(xs))):
                da = dhs[t] * (1 - hs[t + 1] ** 2)
                dxs[t] = da @ Wx.T
                dWx += xs[t].T @ da
                dWh += hs[t].T @ da
                db += da.sum(0)
                dh0 = da @ Wh.T
            return dxs, dh0, dWx, dWh, db
        """,
    ),
    W(
        "lstm-cell",
        "gates in the order i, f, o, g",
        "order",
        """
        import numpy as np
        def lstm_cell(x, h, c, Wx, Wh, b):
            i, f, o, g = np.split(x @ Wx + h @ Wh + b, 4, axis=1)
            s = lambda a: 1 / (1 + np.exp(-a))
            c2 = s(f) * c + s(i) * np.tanh(g)
            return s(o) * np.tanh(c2), c2
        """,
    ),
    W(
        "lstm-cell",
        "sigmoid candidate",
        "tanh",
        """
        import numpy as np
        def lstm_cell(x, h, c, Wx, Wh, b):
            i, f, g, o = np.split(x @ Wx + h @ Wh + b, 4, axis=1)
            s = lambda a: 1 / (1 + np.exp(-a))
            c2 = s(f) * c + s(i) * s(g)
            return s(o) * np.tanh(c2), c2
        """,
    ),
    W(
        "gru-cell",
        "z and 1 − z swapped",
        "swapped",
        """
        import numpy as np
        def gru_cell(x, h, Wx, Wh, bx, bh):
            s = lambda a: 1 / (1 + np.exp(-a))
            xr, xz, xn = np.split(x @ Wx + bx, 3, axis=1)
            hr, hz, hn = np.split(h @ Wh + bh, 3, axis=1)
            r, z = s(xr + hr), s(xz + hz)
            n = np.tanh(xn + r * hn)
            return z * n + (1 - z) * h
        """,
    ),
    W(
        "gru-cell",
        "reset before the projection",
        "reset gate",
        """
        import numpy as np
        def gru_cell(x, h, Wx, Wh, bx, bh):
            s = lambda a: 1 / (1 + np.exp(-a))
            H = h.shape[1]
            xr, xz, xn = np.split(x @ Wx + bx, 3, axis=1)
            hr, hz, _ = np.split(h @ Wh + bh, 3, axis=1)
            r, z = s(xr + hr), s(xz + hz)
            n = np.tanh(xn + (r * h) @ Wh[:, 2 * H:] + bh[2 * H:])
            return (1 - z) * n + z * h
        """,
    ),
    W(
        "sgd-momentum",
        "dampened buffer",
        "raw gradient",
        """
        import numpy as np
        def sgd_momentum_step(p, g, buf, lr, momentum=0.9, weight_decay=0.0, nesterov=False):
            g = g + weight_decay * p
            buf = momentum * buf + (1 - momentum) * g
            d = g + momentum * buf if nesterov else buf
            return p - lr * d, buf
        """,
    ),
    W(
        "sgd-momentum",
        "update in place",
        "in place",
        """
        import numpy as np
        def sgd_momentum_step(p, g, buf, lr, momentum=0.9, weight_decay=0.0, nesterov=False):
            g = g + weight_decay * p
            buf *= momentum
            buf += g
            d = g + momentum * buf if nesterov else buf
            p -= lr * d
            return p, buf
        """,
    ),
    W(
        "rmsprop",
        "eps inside the root",
        "outside the square root",
        """
        import numpy as np
        def rmsprop_step(p, g, v, lr=0.01, alpha=0.99, eps=1e-8):
            v = alpha * v + (1 - alpha) * g * g
            return p - lr * g / np.sqrt(v + eps), v
        """,
    ),
    W(
        "adam",
        "no bias correction",
        "no bias correction",
        """
        import numpy as np
        def adam_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            return p - lr * m / (np.sqrt(v) + eps), m, v
        """,
    ),
    W(
        "adam",
        "step counted from 0",
        "t + 1",
        """
        import numpy as np
        def adam_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            t += 1
            mh, vh = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
            return p - lr * mh / (np.sqrt(vh) + eps), m, v
        """,
    ),
    W(
        "adam",
        "returns the corrected moments",
        "return the raw m and v",
        """
        import numpy as np
        def adam_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            m = (beta1 * m + (1 - beta1) * g) / (1 - beta1 ** t)
            v = (beta2 * v + (1 - beta2) * g * g) / (1 - beta2 ** t)
            return p - lr * m / (np.sqrt(v) + eps), m, v
        """,
    ),
    W(
        "adamw",
        "L2 in the gradient",
        "adam's l2",
        """
        import numpy as np
        def adamw_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            g = g + weight_decay * p
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            mh, vh = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
            return p - lr * mh / (np.sqrt(vh) + eps), m, v
        """,
    ),
    W(
        "adamw",
        "decay not scaled by lr",
        "scaled by the learning rate",
        """
        import numpy as np
        def adamw_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            p = p * (1 - weight_decay)
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            mh, vh = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
            return p - lr * mh / (np.sqrt(vh) + eps), m, v
        """,
    ),
    W(
        "clip-grad-norm",
        "each array by its own norm",
        "its own norm",
        """
        import numpy as np
        def clip_grad_norm(grads, max_norm):
            total = np.sqrt(sum((g ** 2).sum() for g in grads))
            return [g * min(1, max_norm / (np.linalg.norm(g) + 1e-6)) for g in grads], total
        """,
    ),
    W(
        "clip-grad-norm",
        "always rescaled",
        "scaled up",
        """
        import numpy as np
        def clip_grad_norm(grads, max_norm):
            total = np.sqrt(sum((g ** 2).sum() for g in grads))
            return [g * max_norm / (total + 1e-6) for g in grads], total
        """,
    ),
    W(
        "clip-grad-norm",
        "a zero norm divides by zero",
        "division by zero",
        """
        import math

        def clip_grad_norm(grads, max_norm):
            total = math.sqrt(sum(float((g ** 2).sum()) for g in grads))
            scale = min(1.0, max_norm / total)
            return [g * scale for g in grads], total
        """,
    ),
    W(
        "xavier-init",
        "the standard deviation used as the bound",
        "used as the uniform bound",
        """
        import numpy as np
        def xavier_uniform(fan_in, fan_out, rng):
            a = np.sqrt(2 / (fan_in + fan_out))
            return rng.uniform(-a, a, (fan_in, fan_out))

        def xavier_normal(fan_in, fan_out, rng):
            return rng.normal(0, np.sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))
        """,
    ),
    W(
        "xavier-init",
        "the bound used as the standard deviation",
        "used as the standard deviation",
        """
        import numpy as np
        def xavier_uniform(fan_in, fan_out, rng):
            a = np.sqrt(6 / (fan_in + fan_out))
            return rng.uniform(-a, a, (fan_in, fan_out))

        def xavier_normal(fan_in, fan_out, rng):
            return rng.normal(0, np.sqrt(6 / (fan_in + fan_out)), (fan_in, fan_out))
        """,
    ),
    W(
        "xavier-init",
        "NumPy's global generator",
        "rng",
        """
        import numpy as np
        def xavier_uniform(fan_in, fan_out, rng):
            a = np.sqrt(6 / (fan_in + fan_out))
            return np.random.uniform(-a, a, (fan_in, fan_out))

        def xavier_normal(fan_in, fan_out, rng):
            return np.random.normal(0, np.sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))
        """,
    ),
    W(
        "xavier-init",
        "PyTorch's (out, in) layout",
        "layout",
        """
        import numpy as np
        def xavier_uniform(fan_in, fan_out, rng):
            a = np.sqrt(6 / (fan_in + fan_out))
            return rng.uniform(-a, a, (fan_out, fan_in))

        def xavier_normal(fan_in, fan_out, rng):
            return rng.normal(0, np.sqrt(2 / (fan_in + fan_out)), (fan_out, fan_in))
        """,
    ),
    W(
        "he-init",
        "LeCun's variance",
        "lecun",
        """
        import numpy as np
        def he_normal(fan_in, fan_out, rng):
            return rng.normal(0, np.sqrt(1 / fan_in), (fan_in, fan_out))

        def he_uniform(fan_in, fan_out, rng):
            a = np.sqrt(3 / fan_in)
            return rng.uniform(-a, a, (fan_in, fan_out))
        """,
    ),
    W(
        "he-init",
        "fan_out in place of fan_in",
        "fan_out where fan_in belongs",
        """
        import numpy as np
        def he_normal(fan_in, fan_out, rng):
            return rng.normal(0, np.sqrt(2 / fan_out), (fan_in, fan_out))

        def he_uniform(fan_in, fan_out, rng):
            a = np.sqrt(6 / fan_out)
            return rng.uniform(-a, a, (fan_in, fan_out))
        """,
    ),
    W(
        "he-init",
        "a uniform draw for he_normal",
        "tails",
        """
        import numpy as np
        def he_normal(fan_in, fan_out, rng):
            a = np.sqrt(6 / fan_in)
            return rng.uniform(-a, a, (fan_in, fan_out))

        def he_uniform(fan_in, fan_out, rng):
            a = np.sqrt(6 / fan_in)
            return rng.uniform(-a, a, (fan_in, fan_out))
        """,
    ),
    W(
        "numerical-gradient",
        "one-sided difference",
        "one-sided",
        """
        import numpy as np
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            fx = float(f(x))
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                grad[i] = (float(f(x)) - fx) / h
                x[i] = old
            return grad
        """,
    ),
    W(
        "numerical-gradient",
        "perturbs a copy",
        "in place",
        """
        import numpy as np
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            for i in np.ndindex(x.shape):
                xp, xm = x.copy(), x.copy()
                xp[i] += h
                xm[i] -= h
                grad[i] = (float(f(xp)) - float(f(xm))) / (2 * h)
            return grad
        """,
    ),
    W(
        "numerical-gradient",
        "x not restored",
        "in place",
        """
        import numpy as np
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            for i in np.ndindex(x.shape):
                x[i] += h
                fp = float(f(x))
                x[i] -= 2 * h
                grad[i] = (fp - float(f(x))) / (2 * h)
            return grad
        """,
    ),
    W(
        "numerical-gradient",
        "one index for a 2-D array",
        "np.ndindex",
        """
        import numpy as np
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            for i in range(len(x)):
                old = x[i].copy()
                x[i] = old + h
                fp = float(f(x))
                x[i] = old - h
                fm = float(f(x))
                x[i] = old
                grad[i] = (fp - fm) / (2 * h)
            return grad
        """,
    ),
    W(
        "embedding-backward",
        "fancy-index +=",
        "np.add.at",
        """
        import numpy as np
        def embedding_backward(dout, ids, vocab_size):
            dW = np.zeros((vocab_size, dout.shape[-1]))
            dW[ids] += dout
            return dW
        """,
    ),
    W(
        "top-k-top-p",
        "the crossing token dropped",
        "is kept",
        """
        import numpy as np
        def top_k_top_p(logits, k=None, p=None, temperature=1.0):
            z = logits / temperature
            if k is not None and k < z.shape[-1]:
                z = np.where(z < np.sort(z, -1)[..., -k, None], -np.inf, z)
            q = np.exp(z - z.max(-1, keepdims=True))
            q /= q.sum(-1, keepdims=True)
            if p is not None:
                order = np.argsort(-q, -1)
                cum = np.cumsum(np.take_along_axis(q, order, -1), -1)
                keep_sorted = cum <= p
                keep_sorted[..., 0] = True
                keep = np.zeros(q.shape, bool)
                np.put_along_axis(keep, order, keep_sorted, -1)
                q = np.where(keep, q, 0)
                q /= q.sum(-1, keepdims=True)
            return q
        """,
    ),
    W(
        "top-k-top-p",
        "exactly k tokens",
        "tied",
        """
        import numpy as np
        def top_k_top_p(logits, k=None, p=None, temperature=1.0):
            z = logits / temperature
            if k is not None and k < z.shape[-1]:
                drop = np.argsort(-z, -1, kind='stable')[..., k:]
                z = z.copy()
                np.put_along_axis(z, drop, -np.inf, -1)
            q = np.exp(z - z.max(-1, keepdims=True))
            q /= q.sum(-1, keepdims=True)
            if p is not None:
                order = np.argsort(-q, -1)
                r = np.take_along_axis(q, order, -1)
                keep = np.zeros(q.shape, bool)
                np.put_along_axis(keep, order, np.cumsum(r, -1) - r < p, -1)
                q = np.where(keep, q, 0)
                q /= q.sum(-1, keepdims=True)
            return q
        """,
    ),
    W(
        "top-k-top-p",
        "no renormalisation",
        "renormalised",
        """
        import numpy as np
        def top_k_top_p(logits, k=None, p=None, temperature=1.0):
            z = logits / temperature
            if k is not None and k < z.shape[-1]:
                z = np.where(z < np.sort(z, -1)[..., -k, None], -np.inf, z)
            q = np.exp(z - z.max(-1, keepdims=True))
            q /= q.sum(-1, keepdims=True)
            if p is not None:
                order = np.argsort(-q, -1)
                r = np.take_along_axis(q, order, -1)
                keep = np.zeros(q.shape, bool)
                np.put_along_axis(keep, order, np.cumsum(r, -1) - r < p, -1)
                q = np.where(keep, q, 0)
            return q
        """,
    ),
)
