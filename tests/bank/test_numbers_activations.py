"""Every number quoted in questions/activations.yaml, recomputed from the reference code."""

import numpy as np
from banktext import item_text, says

from dlquiz.bank import load_bank
from dlquiz.reference import activations as act
from dlquiz.reference.gradcheck import numerical_gradient

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def num(value: float, spec: str = "g") -> str:
    """A number formatted as the bank prints it, with a Unicode minus sign."""
    return format(float(value), spec).replace("-", "−")


def scientific(value: float) -> str:
    """4.54e-05 -> '4.5 × 10⁻⁵', the way the bank writes small numbers."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def test_sigmoid_values_and_derivative_peak():
    assert act.sigmoid(0.0) == 0.5
    peak = act.sigmoid_grad(0.0)
    grid = np.linspace(-10, 10, 2001)
    assert np.isclose(act.sigmoid_grad(grid).max(), peak)
    text = item_text("sigmoid-derivative")
    assert says(text, f"σ(0) = {act.sigmoid(0.0):g}")
    assert says(text, f"peaks at {peak:g} at z = 0")
    assert f"σ′ never exceeds {peak:g}, its value at z = 0" == load_bank().get("sigmoid-derivative").choices.correct


def test_sigmoid_derivative_decay():
    text = item_text("sigmoid-derivative")
    assert says(text, f"σ′(5) ≈ {act.sigmoid_grad(5.0):.4f}")
    assert says(text, f"σ′(10) ≈ {scientific(act.sigmoid_grad(10.0))}")
    assert says(item_text("saturation-vanishing"), f"σ′(10) ≈ {scientific(act.sigmoid_grad(10.0))}")


def test_sigmoid_derivative_matches_finite_differences():
    z = np.linspace(-6, 6, 13)
    numeric = numerical_gradient(lambda v: act.sigmoid(v).sum(), z.copy())
    assert np.allclose(numeric, act.sigmoid_grad(z), atol=1e-9)


def test_tanh_identity_and_derivative_values():
    z = np.linspace(-5, 5, 101)
    assert np.allclose(act.tanh(z), 2 * act.sigmoid(2 * z) - 1)
    text = item_text("tanh-activation")
    assert says(text, "tanh z = 2σ(2z) − 1")
    assert says(
        text, f"equal to {act.tanh_grad(0.0):g} at z = 0, four times the sigmoid's peak of {act.sigmoid_grad(0.0):g}"
    )
    assert act.tanh_grad(0.0) == 4 * act.sigmoid_grad(0.0)
    assert says(text, f"tanh′(3) ≈ {act.tanh_grad(3.0):.4f}")


def test_leaky_relu_and_elu_examples():
    text = item_text("relu-family")
    out, slope = act.leaky_relu(-2.0), act.leaky_relu_grad(-2.0)
    assert says(text, f"z = −2 gives {num(out)}")
    assert says(text, f"with gradient {slope:g}")
    assert says(text, f"ELU(−2) ≈ {num(act.elu(-2.0), '.3f')}")
    assert act.relu_grad(0.0) == 0.0  # "frameworks use 0 there"


def test_sigmoid_chain_bound():
    factor = act.sigmoid_grad(0.0) ** 10
    assert says(item_text("saturation-vanishing"), f"0.25¹⁰ ≈ {scientific(factor)}")


def test_gelu_tanh_constant_and_threshold():
    z = np.linspace(-4, 4, 81)
    formula = 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))
    assert np.allclose(act.gelu(z), formula)
    text = item_text("choosing-activations")
    assert says(text, "½z(1 + tanh(√(2/π)(z + 0.044715z³)))")
    assert act.sigmoid(0.0) == 0.5
    assert says(text, "σ(z) ≥ 0.5, which is the same as z ≥ 0")


def test_softmax_of_large_logits():
    p = act.softmax(np.array([1000.0, 1001.0, 1002.0]))
    shown = ", ".join(f"{v:.3f}" for v in p)
    text = item_text("softmax-stability")
    assert says(text, "softmax([1000, 1001, 1002]) computed naively is [nan, nan, nan]")
    assert says(text, f"softmax([−2, −1, 0]) ≈ [{shown}]")
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(np.array([1000.0, 1001.0, 1002.0]))
        assert np.isnan(e / e.sum()).all()


def test_log_softmax_survives_underflow():
    z = np.array([0.0, -1000.0])
    assert act.softmax(z)[1] == 0.0
    log_p = act.log_softmax(z)[1]
    assert np.isclose(log_p, -1000.0)
    assert says(item_text("softmax-stability"), f"stable log-softmax returns {num(log_p)}")


def test_float_exp_limits():
    limit64 = np.log(np.finfo(np.float64).max)
    limit32 = np.log(np.finfo(np.float32).max)
    with np.errstate(over="ignore", under="ignore"):
        assert np.isinf(np.exp(limit64 + 0.01)) and np.isfinite(np.exp(limit64 - 0.01))
        assert np.exp(-746.0) == 0.0 and np.exp(-745.0) > 0.0
    bug = item_text("bug-softmax-overflow")
    assert says(bug, f"exceeds about {limit64:.2f} (in float32 about {limit32:.2f})")
    assert says(bug, "below about −745")
    assert says(item_text("softmax-stability"), f"above about {limit64:.2f}")


def test_softmax_jacobian_example_row():
    z = np.array([0.0, np.log(2), np.log(2)])
    p = act.softmax(z)
    assert np.allclose(p, [0.2, 0.4, 0.4])
    numeric = np.stack([numerical_gradient(lambda v, i=i: act.softmax(v)[i], z.copy()) for i in range(3)])
    assert np.allclose(numeric, act.softmax_jacobian(z), atol=1e-9)
    assert np.allclose(numeric.sum(axis=1), 0.0, atol=1e-9)
    row = ", ".join(num(v) for v in np.round(numeric[0], 6))
    text = item_text("softmax-jacobian")
    assert says(text, f"p = [{', '.join(num(v) for v in p.round(6))}] (z = [0, ln 2, ln 2])")
    assert says(text, f"first row [{row}]")


def test_sigmoid_jacobian_on_a_vector_is_diagonal():
    z = np.array([-2.0, 0.0, 1.5])
    numeric = np.stack([numerical_gradient(lambda v, i=i: act.sigmoid(v)[i], z.copy()) for i in range(3)])
    s = act.sigmoid(z)
    assert np.allclose(numeric, np.diag(s * (1 - s)), atol=1e-9)
    assert says(item_text("sigmoid-derivative"), "∂σ(z)/∂z = diag(σ(z) ⊙ (1 − σ(z)))")
