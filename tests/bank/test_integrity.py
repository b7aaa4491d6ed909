"""The built-in bank as a whole: its ids, its coverage targets and its writing rules.

The ids are the bank's public contract (a user's review history is keyed by them), so they are
listed here: renaming or losing one fails this test.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rich.cells import cell_len

from dlquiz.bank import load_bank
from dlquiz.ui.console import make_console
from dlquiz.ui.items import render_item

TOPICS = {
    "foundations": (
        "what-is-deep-learning",
        "dl-vs-classical-ml",
        "learning-paradigms",
        "artificial-neuron",
        "network-architecture",
        "perceptron-xor-mlp",
        "parameters-vs-hyperparameters",
        "frameworks-tensors-autodiff",
        "curse-of-dimensionality",
        "generative-models",
        "universal-approximation-theorem",
    ),
    "activations": (
        "why-nonlinear-activations",
        "sigmoid-derivative",
        "tanh-activation",
        "relu-family",
        "saturation-vanishing",
        "choosing-activations",
        "softmax-stability",
        "softmax-jacobian",
        "bug-softmax-overflow",
    ),
    "training-and-backprop": (
        "training-loop",
        "computational-graph",
        "backprop-chain-rule",
        "backprop-vs-gradient-descent",
        "dense-layer-backward",
        "hidden-layer-deltas",
        "two-layer-net-from-scratch",
        "gradient-checking",
        "debugging-large-error-neuron",
        "feature-scaling",
        "debug-overfit-one-batch",
    ),
    "losses": (
        "mse-and-cost",
        "mae-huber",
        "bce-log-likelihood",
        "sigmoid-bce-gradient",
        "softmax-cross-entropy",
        "cross-entropy-vs-mse",
        "bug-softmax-grad-diagonal",
    ),
    "optimizers": (
        "gradient-descent",
        "learning-rate",
        "loss-landscape-minima",
        "gd-sgd-minibatch",
        "batch-size",
        "momentum",
        "hessian-newton",
        "adagrad",
        "rmsprop",
        "adam",
        "adam-bias-correction",
        "adamw",
        "bug-adam-no-bias-correction",
        "bug-rmsprop-eps",
        "bug-adamw-initial-weights",
        "adam-vs-sgd",
        "lr-warmup-and-restarts",
        "adam-variants",
    ),
    "regularization": (
        "overfitting-bias-variance",
        "l2-weight-decay",
        "l1-vs-l2",
        "dropout-mechanism",
        "dropout-train-vs-test",
        "dropout-vs-random-forest",
        "early-stopping",
        "bug-dropout-no-rescale",
        "data-augmentation",
        "label-smoothing",
        "val-loss-below-train-loss",
        "dropout-variants-and-cost",
    ),
    "normalization": (
        "batchnorm-forward",
        "batchnorm-backward",
        "batchnorm-inference",
        "why-batchnorm-helps",
        "layernorm-vs-batchnorm",
        "other-normalisers",
    ),
    "initialization": (
        "zero-init-symmetry",
        "xavier-init",
        "he-init",
        "init-scale-activations",
    ),
    "gradients": (
        "vanishing-gradients",
        "vanishing-gradient-remedies",
        "exploding-gradients",
        "gradient-clipping",
        "clip-norm-vs-value",
        "residual-connections",
    ),
    "cnn": (
        "cnn-building-blocks",
        "convolution-operation",
        "conv-output-size",
        "pooling",
        "cnn-parameter-count",
        "conv-backward",
        "1x1-and-depthwise-separable-conv",
        "receptive-field-and-dilation",
        "upsampling-encoder-decoder-segmentation",
        "pooling-design-choices",
    ),
    "sequence": (
        "rnn-basics",
        "bptt",
        "rnn-long-term-dependencies",
        "lstm-equations",
        "why-lstm-helps",
        "gru",
        "seq2seq-variants",
        "conv1d-for-sequences",
    ),
    "attention": (
        "attention-qkv",
        "scaled-dot-product-sqrt-dk",
        "multi-head-attention",
        "positional-encoding",
        "transformer-block",
        "bert-vs-gpt",
    ),
    "evaluation": (
        "confusion-matrix-precision-recall",
        "f1-accuracy-imbalance",
        "regression-metrics",
        "train-val-test-split",
        "bayesian-nn-and-uncertainty",
    ),
    "generative": (
        "autoencoder",
        "vae-kl-term",
        "gan-objective",
        "diffusion-models",
        "boltzmann-machines",
    ),
    "representation-learning": (
        "embedding-layer",
        "word-embeddings-static-vs-contextual",
        "transfer-learning-fine-tuning",
        "contrastive-learning-infonce",
    ),
    "transformers-and-llms": (
        "tokenization-and-output-softmax",
        "weight-tying",
        "language-model-perplexity",
        "rope-relative-positions",
        "modern-decoder-block",
        "kv-cache",
        "efficient-attention-long-context",
        "decoding-strategies",
        "vision-transformer-vs-cnn",
    ),
    "training-at-scale": (
        "distributed-training-basics",
        "mixed-precision-training",
        "gradient-accumulation-checkpointing",
    ),
    "efficiency": (
        "model-compression",
        "lora-peft",
        "mixture-of-experts",
    ),
}
ITEM_COUNT = sum(len(ids) for ids in TOPICS.values())


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def items(bank):
    return list(bank)


def test_every_planned_topic_and_id_is_there_in_order(items):
    by_topic: dict[str, list[str]] = {}
    for item in items:
        by_topic.setdefault(item.topic, []).append(item.id)
    assert list(by_topic) == list(TOPICS)
    for topic, ids in TOPICS.items():
        assert by_topic[topic] == list(ids), topic


def test_every_item_is_listed_once(items):
    assert ITEM_COUNT == 137
    assert len(items) == ITEM_COUNT
    assert len({item.id for item in items}) == ITEM_COUNT


def test_coverage_targets(items):
    # the targets set for the first 100 items, as shares of the bank
    def share(part):
        return sum(part in item.features() for item in items) / len(items)

    assert share("code") >= 0.60
    assert share("derivation") >= 0.40
    assert share("choices") >= 0.35
    assert share("demo") >= 0.60
    assert share("exercise") >= 0.20


def test_difficulty_mix_is_near_35_45_20(items):
    n = len(items)
    mix = Counter(item.difficulty for item in items)
    assert abs(mix["easy"] - 0.35 * n) <= 0.07 * n, mix
    assert abs(mix["medium"] - 0.45 * n) <= 0.07 * n, mix
    assert abs(mix["hard"] - 0.20 * n) <= 0.05 * n, mix


def test_answers_are_40_to_250_words(items):
    wrong = {item.id: len(item.answer.split()) for item in items if not 40 <= len(item.answer.split()) <= 250}
    assert wrong == {}


def test_key_points_are_one_line_facts(items):
    for item in items:
        assert 2 <= len(item.key_points) <= 6, item.id
        assert all("\n" not in point for point in item.key_points), item.id


def test_choices_are_distinct_and_the_right_one_is_not_a_giveaway(items):
    with_choices = [item for item in items if item.choices]
    longest = 0
    for item in with_choices:
        options = [item.choices.correct, *item.choices.wrong]
        assert len(item.choices.wrong) == 3, item.id
        assert len({o.strip().casefold() for o in options}) == 4, item.id
        for option in options:
            assert "all of the above" not in option.casefold() and "none of the above" not in option.casefold(), item.id
        if len(item.choices.correct) > max(len(w) for w in item.choices.wrong):
            longest += 1
    # a test-wise learner who always picks the longest option must not do well
    assert longest <= 0.5 * len(with_choices), f"correct option is the longest in {longest}/{len(with_choices)} items"


def test_derivations_have_several_steps(items):
    for item in items:
        if item.derivation:
            assert len(item.derivation) >= 3, item.id


def test_see_also_points_elsewhere(items):
    for item in items:
        assert item.id not in item.see_also, item.id


def test_every_item_renders_within_80_columns(items):
    for item in items:
        console = make_console(width=80, record=True, color_system=None)
        render_item(console, item)
        text = console.export_text()
        assert item.question.split()[0] in text
        too_wide = [line for line in text.splitlines() if cell_len(line) > 80]  # m̂ is two code points, one cell
        assert too_wide == [], item.id
