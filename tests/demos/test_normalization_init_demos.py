"""Normalisation and initialisation demos against hand computations and closed forms."""

import ast
import math

import numpy as np
import pytest

from dlquiz.demos import run_demo
from dlquiz.demos.normalization import BN_BATCH


def test_batchnorm_worked_example_by_hand():
    result = run_demo("normalization.batchnorm_worked_example")
    stats = {r[0].split(" ")[0]: r[1:] for r in result.tables[0].rows}
    assert stats["μ_B"] == [5.0, 0.0, 10.0]
    assert stats["σ²_B"] == pytest.approx([5.0, 5.0, 2.0])
    out = np.array([r[1:] for r in result.tables[2].rows])
    x = np.array(BN_BATCH)
    assert out[:, 0] == pytest.approx((x[:, 0] - 5) / math.sqrt(5 + 1e-5))
    assert out.mean(axis=0) == pytest.approx([0, 0, 0], abs=1e-12)  # columns have mean 0
    shifted = run_demo("normalization.batchnorm_worked_example", ["gamma=2", "beta=3"])
    out2 = np.array([r[1:] for r in shifted.tables[2].rows])
    assert out2 == pytest.approx(2 * out + 3)


def test_batchnorm_backward_check():
    result = run_demo("normalization.batchnorm_backward_check", seed=0)
    assert all(r[1] < 1e-7 for r in result.tables[0].rows)
    assert result.tables[1].rows[0][1:] == pytest.approx([0, 0, 0], abs=1e-12)


def test_batchnorm_eval_uses_running_stats():
    result = run_demo("normalization.batchnorm_train_vs_eval", seed=0)
    stats = {r[0]: r[1:] for r in result.tables[0].rows}
    assert stats["running mean"] == pytest.approx(stats["true mean"], abs=0.3)
    assert stats["running var (unbiased)"] == pytest.approx(stats["true var"], rel=0.15)
    (_n2, train2, eval2), (_n256, _train256, eval256) = result.tables[1].rows
    assert abs(train2) == pytest.approx(1.0, abs=1e-4)  # two examples: x̂ = ±1 always
    assert eval2 == eval256  # eval output does not depend on the batch
    assert eval2 == pytest.approx((5 - stats["running mean"][0]) / math.sqrt(stats["running var (unbiased)"][0] + 1e-5))


def test_batchnorm_scale_invariance():
    rows = dict(run_demo("normalization.batchnorm_weight_scale", seed=0).tables[0].rows)
    assert rows["max |BN(xW) − BN(x·aW)| (not 0 only because of ε)"] < 1e-4
    assert rows["ratio"] == pytest.approx(10, rel=1e-3)


def test_bn_normalises_columns_ln_rows():
    rows = {
        r[0]: (ast.literal_eval(r[1]), ast.literal_eval(r[2]))
        for r in run_demo("normalization.batchnorm_vs_layernorm").tables[0].rows
    }
    assert rows["column means (per feature)"][0] == pytest.approx([0] * 5, abs=1e-6)
    assert rows["row means (per example)"][1] == pytest.approx([0] * 4, abs=1e-6)
    assert rows["column stds"][0] == pytest.approx([1] * 5, abs=1e-3)
    assert rows["row stds"][1] == pytest.approx([1] * 4, abs=1e-3)


def test_symmetric_init_stays_symmetric():
    rows = run_demo("initialization.zero_init_symmetry", seed=0).tables[0].rows
    const, zero, rand = rows
    assert const[2] == 0.0 and zero[1] == 0.0 and zero[2] == 0.0
    assert rand[2] > 0.1


def test_tanh_init_scales():
    rows = {r[0]: r for r in run_demo("initialization.tanh_init_scales", seed=0).tables[0].rows}
    assert rows["std 0.01"][2] < 1e-20  # shrinks geometrically
    assert rows["std 1"][3] > 0.5  # saturated
    assert 0.01 < rows["Xavier"][2] < 1
    # Xavier does not hold tanh activations steady: tanh′ < 1 off 0 makes them fade, slowly
    result = run_demo("initialization.tanh_init_scales", seed=0)
    xavier = result.plots[0].series["Xavier"][1]
    factor = (xavier[-1] / xavier[0]) ** (1 / 49)
    assert 0.9 < factor < 1 and f"×{factor:.3f} per layer" in result.notes[1]


def test_relu_he_keeps_scale_xavier_halves_variance():
    rows = {r[0]: r for r in run_demo("initialization.relu_init_scales", seed=0).tables[0].rows}
    assert rows["Xavier"][4] == pytest.approx(1 / math.sqrt(2), rel=0.05)
    assert rows["He"][4] == pytest.approx(1.0, rel=0.05)


def test_init_histograms_fractions():
    result = run_demo("initialization.init_histograms", seed=0)
    rows = {r[0]: r for r in result.tables[0].rows}
    assert rows["Xavier"][1] == pytest.approx(1 / math.sqrt(64))
    assert rows["std 0.01"][3] == 1.0 and rows["std 1"][4] > 0.5
    for _xs, ys in result.plots[0].series.values():
        assert sum(ys) == pytest.approx(1.0)
