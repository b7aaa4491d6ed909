"""Activation demos checked against closed forms (σ′(0) = ¼, tanh = 2σ(2z) − 1, softmax values...)."""

import math

import pytest

from dlquiz.demos import run_demo


def _table(result, title_part):
    return next(t for t in result.tables if title_part in t.title)


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_sigmoid_demo_values_match_the_closed_form():
    result = run_demo("activations.sigmoid_saturation")
    rows = {row[0]: row for row in _table(result, "Values").rows}
    assert rows[0.0][1] == pytest.approx(0.5) and rows[0.0][2] == pytest.approx(0.25)
    for x, row in rows.items():
        s = _sigmoid(x)
        assert row[1] == pytest.approx(s) and row[2] == pytest.approx(s * (1 - s))
    far = _table(result, "Far out").rows
    assert [r[1] for r in far] == [0.0, 1.0] and all(math.isfinite(c) for r in far for c in r)
    s10 = _sigmoid(10) * (1 - _sigmoid(10))  # 4.54e-5, which is 1.8e-4 of the peak ¼
    assert "4.5e−5" in result.notes[0] and f"{s10 / 0.25:.1e}".replace("-0", "−") in result.notes[0]
    sig = result.plots[0].series["σ′(x)"]
    assert max(sig[1]) == pytest.approx(0.25)


def test_gallery_derivatives_at_sample_points():
    rows = {r[0]: r[1:] for r in run_demo("activations.derivatives_gallery").tables[0].rows}
    # columns x = -4, -2, 0, 2, 4
    assert rows["sigmoid"][2] == pytest.approx(0.25)
    assert rows["tanh"][2] == pytest.approx(1.0) and rows["tanh"][4] == pytest.approx(1 - math.tanh(4) ** 2)
    assert rows["ReLU"] == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert rows["leaky ReLU"][:3] == [0.01, 0.01, 0.01]
    assert rows["ELU"][0] == pytest.approx(math.exp(-4))


def test_tanh_is_a_rescaled_sigmoid():
    for z, t, resc, dt, ds in run_demo("activations.tanh_vs_sigmoid").tables[0].rows:
        assert t == pytest.approx(math.tanh(z)) and resc == pytest.approx(2 * _sigmoid(2 * z) - 1)
        assert dt == pytest.approx(1 - math.tanh(z) ** 2) and ds == pytest.approx(_sigmoid(z) * (1 - _sigmoid(z)))


def test_dead_relu_most_units_dead_with_relu_none_with_leaky():
    rows = run_demo("activations.dead_relu", seed=0).tables[0].rows
    relu, leaky = rows
    assert relu[2] > 0.3 and leaky[1] == 0
    # with a positive bias nothing is dead
    assert run_demo("activations.dead_relu", ["bias=3"]).tables[0].rows[0][1] == 0


def test_dead_relu_fraction_matches_the_gaussian_tail():
    # z − b ~ N(0, 1) per example; a unit is dead when it never fires in 256 examples: (1 − P(N > −b))²⁵⁶
    for bias in (-3.0, -2.5):
        result = run_demo("activations.dead_relu", [f"bias={bias}"], seed=0)
        p_fire = 0.5 * math.erfc(-bias / math.sqrt(2))
        expected = (1 - p_fire) ** 256
        assert result.tables[0].rows[0][2] == pytest.approx(expected, abs=0.15)
        assert f"{expected:.2g}" in result.notes[0] and f"b = {bias:g}" in result.notes[0]


def test_linear_layers_collapse_but_relu_layers_do_not():
    rows = dict(run_demo("activations.linear_collapse", seed=0).tables[0].rows)
    assert rows["no activation"] < 1e-12
    assert rows["ReLU between layers"] > 1e-2


def test_softmax_vs_sigmoid_sums():
    rows = run_demo("activations.softmax_vs_sigmoid", ["z1=0", "z2=0", "z3=0"]).tables[0].rows
    assert [r[2] for r in rows[:3]] == pytest.approx([1 / 3] * 3)
    assert [r[3] for r in rows[:3]] == pytest.approx([0.5] * 3)
    assert rows[3][2] == pytest.approx(1.0) and rows[3][3] == pytest.approx(1.5)
    assert rows[3][1] is None  # a sum of logits means nothing


def test_softmax_overflow_naive_is_nan_reference_is_right():
    rows = {r[0]: r[1:] for r in run_demo("activations.softmax_overflow").tables[0].rows}
    assert all(math.isnan(v) for v in rows["naive exp(z)/Σexp(z)"])
    e = [math.exp(-2), math.exp(-1), 1.0]
    assert rows["softmax(z) (reference)"] == pytest.approx([v / sum(e) for v in e])
    assert rows["softmax(z) (reference)"] == pytest.approx([0.090, 0.245, 0.665], abs=5e-4)
    assert rows["log_softmax(z)"] == pytest.approx([math.log(v / sum(e)) for v in e])


def test_softmax_jacobian_closed_form_and_check():
    result = run_demo("activations.softmax_jacobian_check")
    z = [1.0, 2.0, 0.5]
    p = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
    for i, row in enumerate(result.tables[0].rows):
        assert row[1:4] == pytest.approx([p[i] * ((i == j) - p[j]) for j in range(3)])
        assert abs(row[4]) < 1e-12
    check = dict(result.tables[1].rows)
    assert check["max |J − J_numerical|"] < 1e-8


def test_gallery_rejects_a_non_positive_leaky_slope():
    from dlquiz.errors import UserError

    with pytest.raises(UserError, match="negative_slope"):
        run_demo("activations.derivatives_gallery", ["negative_slope=-1"])
