"""Right answers written differently from the model solutions: the checks must not fail them.

A grader that fails correct code teaches the wrong lesson, so each of these takes another road (im2col
and one matrix product, np.add.at, a loop where a loop is natural, PyTorch's own arrangement of
Adam's arithmetic, a binomial draw for dropout) and must pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class Right:
    exercise: str
    name: str
    source: str


def R(exercise: str, name: str, source: str) -> Right:
    return Right(exercise, name, dedent(source).lstrip("\n"))


RIGHT: tuple[Right, ...] = (
    R(
        "softmax",
        "through log-softmax",
        """
        import numpy as np
        def softmax(x, axis=-1):
            m = np.max(x, axis=axis, keepdims=True)
            lse = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.exp(x - lse)
        """,
    ),
    R(
        "cross-entropy",
        "one-hot matrix and a float64 scalar",
        """
        import numpy as np
        def cross_entropy(logits, targets):
            n, c = logits.shape
            onehot = np.eye(c)[targets]
            z = logits - logits.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            return -(onehot * logp).sum() / n, (np.exp(logp) - onehot) / n
        """,
    ),
    R(
        "dropout",
        "a binomial draw and a 0/1 mask",
        """
        import numpy as np
        def dropout_forward(x, p, rng, training=True):
            if not training or p == 0:
                return x, None
            if p == 1:
                return np.zeros_like(x), np.zeros_like(x)
            keep = rng.binomial(1, 1 - p, size=x.shape)
            return x * keep / (1 - p), keep / (1 - p)
        def dropout_backward(dout, mask):
            return dout * mask
        """,
    ),
    R(
        "batchnorm-backward",
        "the chain rule step by step",
        """
        import numpy as np
        def batchnorm_backward(dout, x, gamma, eps=1e-5):
            n = x.shape[0]
            mu = x.mean(axis=0)
            var = x.var(axis=0)
            std = np.sqrt(var + eps)
            x_hat = (x - mu) / std
            dx_hat = dout * gamma
            dvar = np.sum(dx_hat * (x - mu) * -0.5 * std ** -3, axis=0)
            dmu = np.sum(-dx_hat / std, axis=0) + dvar * np.mean(-2 * (x - mu), axis=0)
            dx = dx_hat / std + dvar * 2 * (x - mu) / n + dmu / n
            return dx, np.sum(dout * x_hat, axis=0), dout.sum(axis=0)
        """,
    ),
    R(
        "conv2d",
        "im2col and one matrix product",
        """
        import numpy as np
        def conv2d(x, w, b, stride=1, padding=0):
            n, c, h, wd = x.shape
            f, _, kh, kw = w.shape
            x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
            ho, wo = (h + 2 * padding - kh) // stride + 1, (wd + 2 * padding - kw) // stride + 1
            rows = []
            for i in range(ho):
                for j in range(wo):
                    patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    rows.append(patch.reshape(n, -1))
            cols = np.stack(rows, axis=1)  # (n, ho*wo, c*kh*kw)
            out = cols @ w.reshape(f, -1).T + b  # (n, ho*wo, f)
            return out.transpose(0, 2, 1).reshape(n, f, ho, wo)
        """,
    ),
    R(
        "max-pool",
        "loops over windows, first maximum by argmax",
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
            n, c, ho, wo = dout.shape
            for i in range(ho):
                for j in range(wo):
                    window = x[:, :, i * s:i * s + kernel, j * s:j * s + kernel].reshape(n, c, -1)
                    u, v = np.divmod(window.argmax(axis=2), kernel)
                    for a in range(n):
                        for b in range(c):
                            dx[a, b, i * s + u[a, b], j * s + v[a, b]] += dout[a, b, i, j]
            return dx
        """,
    ),
    R(
        "attention",
        "a large negative fill plus a zeroed blocked row",
        """
        import numpy as np
        def attention(q, k, v, mask=None):
            s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
            if mask is not None:
                s = np.where(mask, s, -1e30)
            e = np.exp(s - s.max(axis=-1, keepdims=True))
            a = e / e.sum(axis=-1, keepdims=True)
            if mask is not None:
                a = np.where(np.any(mask, axis=-1, keepdims=True), a, 0.0)
            return a @ v, a
        """,
    ),
    R(
        "adam",
        "PyTorch's arrangement of the arithmetic",
        """
        import math
        import numpy as np
        def adam_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            m = m * beta1 + (1 - beta1) * g
            v = v * beta2 + (1 - beta2) * g * g
            bias1, bias2 = 1 - beta1 ** t, 1 - beta2 ** t
            denom = np.sqrt(v) / math.sqrt(bias2) + eps
            return p - (lr / bias1) * m / denom, m, v
        """,
    ),
    R(
        "clip-grad-norm",
        "without PyTorch's 1e-6",
        """
        import numpy as np
        def clip_grad_norm(grads, max_norm):
            total = float(np.sqrt(sum(np.vdot(g, g) for g in grads)))
            if total <= max_norm or total == 0:
                return [g.copy() for g in grads], total
            return [g * (max_norm / total) for g in grads], total
        """,
    ),
    R(
        "numerical-gradient",
        "np.nditer over the indices",
        """
        import numpy as np
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            it = np.nditer(x, flags=["multi_index"])
            for _ in it:
                i = it.multi_index
                old = x[i]
                x[i] = old + h
                plus = f(x)
                x[i] = old - h
                minus = f(x)
                x[i] = old
                grad[i] = (plus - minus) / (2 * h)
            return grad
        """,
    ),
    R(
        "embedding-backward",
        "a loop that adds",
        """
        import numpy as np
        def embedding_backward(dout, ids, vocab_size):
            dW = np.zeros((vocab_size, dout.shape[-1]))
            for token, grad in zip(ids.ravel(), dout.reshape(-1, dout.shape[-1])):
                dW[token] += grad
            return dW
        """,
    ),
    R(
        "xavier-init",
        "standard draws, scaled",
        """
        import numpy as np
        def xavier_uniform(fan_in, fan_out, rng):
            a = np.sqrt(6.0 / (fan_in + fan_out))
            return (2 * rng.random((fan_in, fan_out)) - 1) * a
        def xavier_normal(fan_in, fan_out, rng):
            return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / (fan_in + fan_out))
        """,
    ),
)
