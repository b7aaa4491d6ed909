"""Every number quoted in questions/foundations.yaml, recomputed from the reference code or by hand."""

import numpy as np
from banktext import item_text, says


def dense_params(n_in: int, n_out: int) -> int:
    """Weights plus biases of one dense layer, counted from the arrays' sizes."""
    return np.zeros((n_in, n_out)).size + np.zeros(n_out).size


def test_neuron_example_value():
    from dlquiz.reference.activations import sigmoid
    from dlquiz.reference.layers import dense_forward

    w = np.array([[0.5], [-1.0]])
    x = np.array([[2.0, 1.0]])
    z = dense_forward(x, w, np.array([0.5]))
    a = sigmoid(z)
    assert np.isclose(z.item(), 0.5)
    text = item_text("artificial-neuron")
    assert says(text, "w = (0.5, −1.0), x = (2.0, 1.0), b = 0.5 gives z = 1.0 − 1.0 + 0.5 = 0.5")
    assert says(text, f"σ(0.5) ≈ {a.item():.3f}")


def test_house_price_parameter_count():
    first, second = dense_params(3, 4), dense_params(4, 1)
    text = item_text("network-architecture")
    assert says(text, f"(3·4 + 4) + (4·1 + 1) = {first} + {second} = **{first + second}**")


def test_mnist_mlp_parameter_count():
    first, second = dense_params(784, 128), dense_params(128, 10)
    text = item_text("network-architecture")
    assert says(text, f"= {first:,} + {second:,} = {first + second:,}")


def test_two_relu_units_compute_xor():
    from dlquiz.reference.activations import relu
    from dlquiz.reference.layers import dense_forward

    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    w1, b1 = np.ones((2, 2)), np.array([0.0, -1.0])  # h₁ = ReLU(x₁ + x₂), h₂ = ReLU(x₁ + x₂ − 1)
    w2, b2 = np.array([[1.0], [-2.0]]), np.array([0.0])  # ŷ = h₁ − 2h₂
    y = dense_forward(relu(dense_forward(x, w1, b1)), w2, b2).ravel()
    assert np.array_equal(y, [0.0, 1.0, 1.0, 0.0])
    text = item_text("perceptron-xor-mlp")
    assert says(text, "h₁ = ReLU(x₁ + x₂), h₂ = ReLU(x₁ + x₂ − 1), ŷ = h₁ − 2h₂")
    outputs = ", ".join(f"{v:g}" for v in y)
    assert says(text, f"outputs {outputs}")


def test_no_perceptron_computes_xor_on_a_weight_grid():
    # the derivation's claim, checked by brute force over a grid of weights and biases
    grid = np.linspace(-3, 3, 25)
    w1, w2, b = np.meshgrid(grid, grid, grid, indexing="ij")
    fires = [(w1 * x1 + w2 * x2 + b > 0) for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    xor = ~fires[0] & fires[1] & fires[2] & ~fires[3]
    assert not xor.any()


def test_neighbourhood_side_for_one_percent_in_ten_dimensions():
    side = 0.01 ** (1 / 10)
    assert says(item_text("curse-of-dimensionality"), f"0.01^(1/10) ≈ {side:.3f}")


def test_batchnorm_parameter_count_as_keras_reports_it():
    """γ, β learned; running mean and variance kept by a moving average: 4C shown, 2C non-trainable."""
    import inspect

    from dlquiz.reference.normalization import batchnorm_forward, batchnorm_inference

    channels = 16
    learned = [p for p in inspect.signature(batchnorm_forward).parameters if p in ("gamma", "beta")]
    kept = [p for p in inspect.signature(batchnorm_inference).parameters if p.startswith("running")]
    assert len(learned) == 2 and len(kept) == 2
    shown, non_trainable = (len(learned) + len(kept)) * channels, len(kept) * channels
    text = item_text("parameters-vs-hyperparameters")
    assert shown == 4 * channels and non_trainable == 2 * channels
    assert says(text, "shows 4C parameters, 2C of them non-trainable")


def test_distances_concentrate_for_independent_coordinates_but_not_on_a_line():
    """(max − min)/min of the distances from a query: tiny for i.i.d. coordinates in high dimension,
    large for the same number of points on a line segment embedded in that space."""
    rng = np.random.default_rng(0)
    d, n = 1000, 500

    def contrast(points, query):
        dist = np.linalg.norm(points - query, axis=1)
        return (dist.max() - dist.min()) / dist.min()

    cube = rng.uniform(size=(n, d))
    direction = rng.normal(size=d)
    direction /= np.linalg.norm(direction)
    line = rng.uniform(size=(n, 1)) * direction * 10
    assert contrast(cube, rng.uniform(size=d)) < 0.3
    assert contrast(line, line[0] + 1e-3 * rng.normal(size=d)) > 10
    text = item_text("curse-of-dimensionality")
    assert says(text, "points on a line inside ℝ¹⁰⁰⁰ do not concentrate")
    assert says(text, "(max − min)/min → 0 (Beyer et al., 1999)")
