"""Every number in dropout-variants-and-cost and bayesian-nn-and-uncertainty, recomputed by the reference code."""

import math

import numpy as np
import pytest

from dlquiz.reference.activations import softmax
from dlquiz.reference.metrics import expected_calibration_error, predictive_uncertainty
from dlquiz.reference.regularization import survival_probabilities


def test_expected_depth_of_a_110_layer_resnet_under_the_linear_rule(text):
    blocks = (110 - 2) // 2
    assert blocks == 54
    expected = survival_probabilities(blocks, 0.5).sum()
    assert expected == pytest.approx(40.25)
    assert expected == pytest.approx(blocks - 0.5 * (blocks + 1) / 2)
    t = text("dropout-variants-and-cost")
    assert "a 110-layer ResNet (54 blocks) runs 40.25 blocks per step on average" in t
    assert "L = 54, s_L = 0.5: 54 − 0.5 × 55/2 = 40.25" in t
    assert "Linear survival 1 → 0.5 over 54 blocks: 40.25 blocks run per step on average" in t


def test_the_ece_example(text):
    conf = [0.9] * 10 + [0.6] * 10
    right = [1] * 7 + [0] * 3 + [1] * 6 + [0] * 4
    ece = expected_calibration_error(conf, right)
    assert ece == pytest.approx(0.5 * 0.2 + 0.5 * 0.0) and ece == pytest.approx(0.10)
    assert "give 0.5 × 0.2 + 0.5 × 0 = 0.10" in text("bayesian-nn-and-uncertainty")
    for bins in (1, 5, 15, 20):  # the example does not depend on the binning
        assert expected_calibration_error(conf, right, bins) == pytest.approx(0.10)


def test_temperature_scaling_example_and_that_it_keeps_the_argmax(text):
    z = np.array([2.0, 1.0, 0.0])
    at_1, at_2 = softmax(z).max(), softmax(z / 2).max()
    t = text("bayesian-nn-and-uncertainty")
    assert f"top probability of {at_1:.3f} at T = 1 and {at_2:.3f} at T = 2" in t
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((100, 5)) * 4
    for temperature in (0.3, 1.0, 2.0, 10.0):
        assert np.array_equal(softmax(logits / temperature).argmax(axis=1), logits.argmax(axis=1))


def test_the_entropy_decomposition_example(text):
    total, aleatoric, epistemic = predictive_uncertainty([[0.9, 0.1], [0.1, 0.9]])
    t = text("bayesian-nn-and-uncertainty")
    assert total == pytest.approx(math.log(2))
    assert f"H[p̄] = ln 2 = {total:.3f}" in t
    assert f"Eₘ H[pₘ] = −(0.9 ln 0.9 + 0.1 ln 0.1) = {aleatoric:.3f}" in t
    assert f"Epistemic = {total:.3f} − {aleatoric:.3f} = {epistemic:.3f} nats" in t
    same = predictive_uncertainty([[0.5, 0.5], [0.5, 0.5]])
    assert f"total {same[0]:.3f}, aleatoric {same[1]:.3f}, epistemic {same[2]:.0f}" in t
