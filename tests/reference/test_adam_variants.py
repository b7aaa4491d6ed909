"""AMSGrad and Lion, against loops written from their published algorithms, and by hand."""

import math

import numpy as np
import pytest

from dlquiz.reference.optimizers import Adam, AdamW, Lion


def _amsgrad_by_loop(p, grads, lr, betas, eps):
    """torch.optim.Adam(amsgrad=True) as its documentation writes the algorithm, one scalar at a time."""
    m = v = v_max = 0.0
    for t, g in enumerate(grads, start=1):
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        v_max = max(v_max, v)
        m_hat = m / (1 - betas[0] ** t)
        p = p - lr * m_hat / (math.sqrt(v_max) / math.sqrt(1 - betas[1] ** t) + eps)
    return p


def test_amsgrad_matches_the_documented_loop_and_differs_from_adam_once_gradients_shrink():
    grads = [5.0, 4.0, 0.1, 0.1, 0.2, 0.05]  # a burst, then small gradients: v falls, v_max does not
    betas = (0.9, 0.9)  # a short memory for v, so it falls fast after the burst
    opt, plain = Adam(lr=0.1, betas=betas, amsgrad=True), Adam(lr=0.1, betas=betas)
    params, same = {"p": np.array([1.0])}, {"p": np.array([1.0])}
    for g in grads:
        opt.step(params, {"p": np.array([g])})
        plain.step(same, {"p": np.array([g])})
    assert params["p"][0] == pytest.approx(_amsgrad_by_loop(1.0, grads, 0.1, betas, 1e-8), abs=1e-12)
    assert abs(params["p"][0] - same["p"][0]) > 1e-3  # the max matters here
    amsgrad_w = AdamW(lr=0.1, betas=betas, weight_decay=0.0, amsgrad=True)
    w = {"p": np.array([1.0])}
    for g in grads:
        amsgrad_w.step(w, {"p": np.array([g])})
    assert w["p"][0] == pytest.approx(params["p"][0], abs=1e-12)  # no decay: AdamW is Adam


def test_amsgrad_equals_adam_while_v_only_grows():
    grads = [0.1, 0.5, 1.0, 2.0]  # v rises every step, so v_max = v
    a, b = Adam(lr=0.01, amsgrad=True), Adam(lr=0.01)
    pa, pb = {"p": np.array([0.3])}, {"p": np.array([0.3])}
    for g in grads:
        a.step(pa, {"p": np.array([g])})
        b.step(pb, {"p": np.array([g])})
    assert pa["p"][0] == pytest.approx(pb["p"][0], abs=1e-15)


def test_lion_by_hand_two_steps():
    opt = Lion(lr=0.1, betas=(0.9, 0.99), weight_decay=0.0)
    params = {"w": np.array([1.0, -2.0, 0.5])}
    opt.step(params, {"w": np.array([0.3, -0.1, 0.0])})  # m = 0: c = 0.1·g, sign(c) = sign(g)
    assert np.allclose(params["w"], [1.0 - 0.1, -2.0 + 0.1, 0.5])  # sign(0) = 0: no move
    m = 0.01 * np.array([0.3, -0.1, 0.0])
    assert np.allclose(opt.state["w"], m)
    g2 = np.array([-0.02, -0.5, 1.0])  # c = 0.9·m + 0.1·g2 = (0.0007, −0.0509, 0.1)
    opt.step(params, {"w": g2})
    assert np.allclose(params["w"], [0.9 - 0.1, -1.9 + 0.1, 0.5 - 0.1])
    assert np.allclose(opt.state["w"], 0.99 * m + 0.01 * g2)


def test_lion_moves_every_coordinate_by_exactly_lr_and_decays_as_adamw():
    rng = np.random.default_rng(0)
    p0 = rng.standard_normal(50)
    opt = Lion(lr=1e-3, weight_decay=0.5)
    params = {"w": p0.copy()}
    opt.step(params, {"w": rng.standard_normal(50) * 1e-6})  # the size of the gradient does not matter
    step = params["w"] - p0 * (1 - 1e-3 * 0.5)
    assert np.allclose(np.abs(step), 1e-3)


def test_amsgrad_keeps_v_and_its_maximum_apart():
    """A gradient that rises again after v has fallen: writing the maximum back into v would show here."""
    grads, betas = [1.0, 0.1, 0.1, 0.1, 3.0], (0.9, 0.9)
    opt, params = Adam(lr=0.1, betas=betas, amsgrad=True), {"p": np.array([1.0])}
    for g in grads:
        opt.step(params, {"p": np.array([g])})
    assert params["p"][0] == pytest.approx(_amsgrad_by_loop(1.0, grads, 0.1, betas, 1e-8), abs=1e-12)


def test_lion_steps_with_beta1_before_it_updates_the_momentum_with_beta2():
    """Worked by hand: at step 2, c = 0.9·0.01 + 0.1·g₂ = (+0.0005, −0.011). Updating m first, or mixing with
    β₂, flips the sign of the first coordinate or of the second."""
    opt = Lion(lr=0.1, betas=(0.9, 0.99))
    params = {"w": np.zeros(2)}
    opt.step(params, {"w": np.array([1.0, 1.0])})
    opt.step(params, {"w": np.array([-0.085, -0.2])})
    assert np.allclose(params["w"], [-0.2, 0.0])
