"""Regularisation demos: overfitting pattern, L2 = weight decay, L1 zeros, dropout's expectations."""

import pytest

from dlquiz.demos import run_demo


def _rows(link, settings=()):
    return run_demo(link, settings, seed=0).tables[0].rows


def test_polynomial_degrees_underfit_fit_overfit():
    d1, d3, d15 = _rows("regularization.polynomial_overfit")
    assert d15[1] < d3[1] < d1[1]  # training error falls with degree
    assert d15[2] > d3[2] and d1[2] > d3[2]  # validation error is U-shaped
    assert d15[3] > 100 * d3[3]  # the overfit has huge weights


def test_l2_penalty_and_weight_decay_paths_are_identical():
    result = run_demo("regularization.l2_as_weight_decay", seed=0)
    assert result.tables[1].rows[0][1] < 1e-12
    assert result.tables[0].rows[0][1] == result.tables[0].rows[1][1]


def test_l1_gives_exact_zeros_l2_does_not():
    l1, l2 = _rows("regularization.l1_vs_l2_sparsity")
    assert l1[2] >= 12 and l2[1] == 0


def test_dropout_mask_statistics():
    rows = {r[0]: r for r in _rows("regularization.dropout_mask_stats", ["p=0.3"])}
    assert rows["fraction dropped"][1] == pytest.approx(0.3, abs=0.01)  # 4 binomial std devs over 40,000 units
    assert rows["value of kept units"][1] == pytest.approx(1 / 0.7)
    assert rows["mean of output"][1] == pytest.approx(1.0, abs=0.02)
    assert rows["eval mode: mean of output"][1] == 1.0


def test_dropout_scaling_expectations():
    rows = {r[0]: r for r in _rows("regularization.dropout_scaling", ["p=0.5"])}
    inv, bug = rows["inverted (reference)"], rows["no rescale (bug)"]
    assert inv[1] == pytest.approx(inv[2], rel=0.02) and inv[3] == pytest.approx(inv[4], rel=0.03)
    assert bug[1] == pytest.approx(0.5 * bug[2], rel=0.02)


def test_dropout_narrows_the_gap_and_early_stopping_follows_patience():
    result = run_demo("regularization.dropout_and_early_stopping", seed=0)
    plain, dropped = result.tables[0].rows
    assert plain[1] < 1e-3 and plain[2] > 100 * plain[1]  # memorised the training set
    assert dropped[2] < plain[2]  # better validation loss with dropout
    for row in (plain, dropped):
        assert row[5] == row[4] + 50  # stops `patience` epochs after the best
        val = result.plots[0].series[row[0]][1]  # the validation plot
        seen = val[: row[5]]  # the epochs up to the stop
        assert seen.index(min(seen)) + 1 == row[4]


@pytest.mark.parametrize(
    "link, setting",
    [
        ("regularization.l2_as_weight_decay", "lr=0"),
        ("regularization.l2_as_weight_decay", "lr=1000000"),
        ("regularization.l2_as_weight_decay", "weight_decay=-1"),
        ("regularization.l1_vs_l2_sparsity", "lam=1000000"),
        ("regularization.polynomial_overfit", "noise=-1"),
    ],
)
def test_regularization_demos_reject_meaningless_settings(link, setting):
    from dlquiz.errors import UserError

    with pytest.raises(UserError):
        run_demo(link, [setting])
