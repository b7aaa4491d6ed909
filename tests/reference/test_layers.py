"""Dense layer and the two-layer house-price network: hand values and finite-difference gradients."""

import numpy as np
import pytest

from dlquiz.reference import layers
from dlquiz.reference.gradcheck import numerical_gradient, relative_error


def test_dense_forward_hand_value():
    x = np.array([[1.0, 2.0], [0.0, -1.0]])
    W = np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 1.0]])  # (in=2, out=3)
    b = np.array([0.5, 0.0, -1.0])
    np.testing.assert_allclose(layers.dense_forward(x, W, b), [[-0.5, 6.0, 3.0], [1.5, -3.0, -2.0]])


def test_dense_backward_matches_finite_differences():
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    G = rng.normal(size=(4, 5))  # L = Σ Y ⊙ G, so ∂L/∂Y = G

    def loss():
        return float(np.sum(layers.dense_forward(x, W, b) * G))

    dx, dW, db = layers.dense_backward(G, x, W)
    assert (dx.shape, dW.shape, db.shape) == (x.shape, W.shape, b.shape)
    for analytic, param in ((dx, x), (dW, W), (db, b)):
        assert relative_error(analytic, numerical_gradient(lambda _: loss(), param)) < 1e-6


def small_params():
    return {
        "W1": np.array([[1.0, -1.0, 0.5], [0.0, 1.0, -2.0]]),  # (D=2, H=3)
        "b1": np.array([0.0, 0.0, 0.5]),
        "W2": np.array([[2.0], [3.0], [1.0]]),  # (H=3, K=1)
        "b2": np.array([1.0]),
    }


def test_two_layer_forward_hand_computed():
    X = np.array([[1.0, 2.0]])
    # z1 = [1, 1, 0.5 − 4 + 0.5] = [1, 1, −3]; h = ReLU = [1, 1, 0]; ŷ = 2 + 3 + 0 + 1 = 6; L = (6 − 4)² = 4
    loss, cache = layers.two_layer_net_forward(X, np.array([4.0]), small_params())
    np.testing.assert_allclose(cache["z1"], [[1.0, 1.0, -3.0]])
    np.testing.assert_allclose(cache["h"], [[1.0, 1.0, 0.0]])
    np.testing.assert_allclose(cache["y_hat"], [[6.0]])
    assert loss == pytest.approx(4.0) and cache["loss"] == loss


def test_two_layer_backward_hand_computed():
    X = np.array([[1.0, 2.0]])
    _, cache = layers.two_layer_net_forward(X, np.array([4.0]), small_params())
    grads, deltas = layers.two_layer_net_backward(cache)
    # dŷ = 2(6 − 4)/1 = 4; dW2 = hᵀ·4; db2 = 4; dh = 4·W2ᵀ = [8, 12, 4]; dz1 = dh ⊙ [1, 1, 0]
    np.testing.assert_allclose(deltas["d_y_hat"], [[4.0]])
    np.testing.assert_allclose(grads["W2"], [[4.0], [4.0], [0.0]])
    np.testing.assert_allclose(grads["b2"], [4.0])
    np.testing.assert_allclose(deltas["dh"], [[8.0, 12.0, 4.0]])
    np.testing.assert_allclose(deltas["dz1"], [[8.0, 12.0, 0.0]])
    np.testing.assert_allclose(grads["W1"], [[8.0, 12.0, 0.0], [16.0, 24.0, 0.0]])
    np.testing.assert_allclose(grads["b1"], [8.0, 12.0, 0.0])


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("out_dim", [1, 2])
def test_two_layer_backward_matches_finite_differences(activation, out_dim):
    rng = np.random.default_rng(1)
    N, D, H = 6, 3, 5
    X = rng.normal(size=(N, D))
    y = rng.normal(size=N) if out_dim == 1 else rng.normal(size=(N, out_dim))
    params = layers.two_layer_net_init(D, H, rng, out_dim=out_dim, activation=activation)
    params["b1"] = rng.normal(size=H)
    params["b2"] = rng.normal(size=out_dim)
    _, cache = layers.two_layer_net_forward(X, y, params, activation=activation)
    if activation == "relu":  # keep the pre-activations off the kink at 0
        assert np.min(np.abs(cache["z1"])) > 1e-3
    grads, _ = layers.two_layer_net_backward(cache)
    assert grads.keys() == params.keys()
    for name, p in params.items():
        num = numerical_gradient(lambda _: layers.two_layer_net_forward(X, y, params, activation=activation)[0], p)
        assert grads[name].shape == p.shape
        assert relative_error(grads[name], num) < 1e-6, name


def test_deltas_follow_the_chain_rule():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(8, 3)), rng.normal(size=8)
    params = layers.two_layer_net_init(3, 4, rng)
    loss, cache = layers.two_layer_net_forward(X, y, params)
    grads, deltas = layers.two_layer_net_backward(cache)
    np.testing.assert_allclose(deltas["d_y_hat"], 2 * (cache["y_hat"] - y[:, None]) / 8)
    # the ReLU mask: no gradient flows into a unit whose pre-activation is negative
    assert np.all(deltas["dz1"][cache["z1"] < 0] == 0)
    np.testing.assert_allclose(grads["b1"], deltas["dz1"].sum(axis=0))


def test_targets_of_shape_n_do_not_broadcast_to_n_by_n():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=5)
    params = layers.two_layer_net_init(2, 3, rng)
    loss_flat, _ = layers.two_layer_net_forward(X, y, params)
    loss_col, _ = layers.two_layer_net_forward(X, y[:, None], params)
    assert loss_flat == loss_col


def test_init_shapes_scales_and_zero_biases():
    rng = np.random.default_rng(4)
    params = layers.two_layer_net_init(400, 300, rng, out_dim=2)
    assert {k: v.shape for k, v in params.items()} == {"W1": (400, 300), "b1": (300,), "W2": (300, 2), "b2": (2,)}
    assert np.all(params["b1"] == 0) and np.all(params["b2"] == 0)
    assert params["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.03)  # He for ReLU
    tanh_params = layers.two_layer_net_init(400, 300, rng, activation="tanh")
    assert tanh_params["W1"].std() == pytest.approx(np.sqrt(2 / 700), rel=0.03)  # Xavier for tanh


def test_identical_hidden_units_get_identical_gradients():
    # constant initial weights: every hidden unit computes the same thing and gets the same update
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(10, 3)), rng.normal(size=10)
    params = {"W1": np.full((3, 4), 0.3), "b1": np.zeros(4), "W2": np.full((4, 1), 0.2), "b2": np.zeros(1)}
    _, cache = layers.two_layer_net_forward(X, y, params, activation="tanh")
    grads, _ = layers.two_layer_net_backward(cache)
    np.testing.assert_allclose(grads["W1"], np.repeat(grads["W1"][:, :1], 4, axis=1))


def test_unknown_activation():
    with pytest.raises(ValueError, match="relu"):
        layers.two_layer_net_forward(np.zeros((1, 2)), np.zeros(1), small_params(), activation="swish")
