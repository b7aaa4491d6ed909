"""The exercises of ``dlquiz implement``: what each asks for, and the bank item it belongs to.

This module is metadata only (no NumPy), so listing the exercises is instant. Each exercise names:

- ``functions``: what the learner writes (the starter holds their signatures and docstrings);
- ``module``: the module of :mod:`dlquiz.implement.cases` that builds its checks and lists its mistakes;
- ``item``: the id of its bank item (``dlquiz show ITEM``);
- its model solution, ``solutions/<id with underscores>.py``, a complete file that passes the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.model import Difficulty
from dlquiz.wording import closest, suggestion

SOLUTIONS = Path(__file__).with_name("solutions")
CARD_PREFIX = "implement:"

E, M, H = Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    difficulty: Difficulty
    item: str
    functions: tuple[str, ...]
    module: str

    @property
    def stem(self) -> str:
        """The file name without '.py': the id with underscores, so the file is importable."""
        return self.id.replace("-", "_")

    @property
    def solution_path(self) -> Path:
        return SOLUTIONS / f"{self.stem}.py"

    @property
    def card_id(self) -> str:
        """The id of this exercise's card in the state file (beside the bank items' ids)."""
        return CARD_PREFIX + self.id


def _x(id: str, title: str, level: Difficulty, item: str, functions: str, module: str) -> Exercise:
    return Exercise(id, title, level, item, tuple(functions.split()), module)


# In the curriculum's order. Each item links its exercise back (implement: ID in the YAML; a test keeps both in step).
EXERCISES: tuple[Exercise, ...] = (
    _x("stable-sigmoid", "Numerically stable sigmoid", E, "sigmoid-derivative", "sigmoid", "activations"),
    _x("softmax", "Softmax that does not overflow", E, "bug-softmax-overflow", "softmax", "activations"),
    _x("log-softmax", "Log-softmax with logsumexp", M, "softmax-stability", "log_softmax", "activations"),
    _x(
        "softmax-backward",
        "Backward pass of softmax",
        M,
        "bug-softmax-grad-diagonal",
        "softmax_backward",
        "activations",
    ),
    _x(
        "cross-entropy",
        "Cross-entropy from logits, and its gradient",
        M,
        "softmax-cross-entropy",
        "cross_entropy",
        "losses",
    ),
    _x("bce-with-logits", "Binary cross-entropy from logits", M, "sigmoid-bce-gradient", "bce_with_logits", "losses"),
    _x(
        "dense-layer",
        "Dense layer forward and backward",
        E,
        "dense-layer-backward",
        "dense_forward dense_backward",
        "layers",
    ),
    _x(
        "mlp-forward",
        "Two-layer MLP: forward pass and MSE loss",
        M,
        "two-layer-net-from-scratch",
        "mlp_forward",
        "layers",
    ),
    _x("mlp-backward", "Two-layer MLP: backward pass", H, "hidden-layer-deltas", "mlp_backward", "layers"),
    _x(
        "dropout",
        "Inverted dropout, forward and backward",
        M,
        "dropout-train-vs-test",
        "dropout_forward dropout_backward",
        "layers",
    ),
    _x(
        "batchnorm-forward",
        "Batch norm forward: training, inference, running statistics",
        M,
        "batchnorm-forward",
        "batchnorm_forward",
        "normalization",
    ),
    _x("batchnorm-backward", "Batch norm backward", H, "batchnorm-backward", "batchnorm_backward", "normalization"),
    _x("layernorm", "Layer norm forward", M, "layernorm-vs-batchnorm", "layernorm", "normalization"),
    _x("conv2d", "2-D convolution with stride and padding", M, "convolution-operation", "conv2d", "cnn"),
    _x("im2col", "im2col: convolution as one matrix product", H, "conv-output-size", "im2col", "cnn"),
    _x("conv2d-backward", "2-D convolution backward", H, "conv-backward", "conv2d_backward", "cnn"),
    _x("max-pool", "Max pooling, forward and backward", M, "pooling", "max_pool_forward max_pool_backward", "cnn"),
    _x(
        "attention",
        "Scaled dot-product attention with a mask",
        M,
        "scaled-dot-product-sqrt-dk",
        "attention",
        "attention",
    ),
    _x(
        "multi-head-attention",
        "Multi-head self-attention",
        H,
        "multi-head-attention",
        "multi_head_attention",
        "attention",
    ),
    _x(
        "positional-encoding",
        "Sinusoidal positional encoding",
        M,
        "positional-encoding",
        "positional_encoding",
        "attention",
    ),
    _x("rnn-forward", "A vanilla RNN over a sequence", M, "rnn-basics", "rnn_forward", "sequence"),
    _x("rnn-backward", "Backpropagation through time", H, "bptt", "rnn_backward", "sequence"),
    _x("lstm-cell", "One LSTM step", M, "lstm-equations", "lstm_cell", "sequence"),
    _x("gru-cell", "One GRU step", M, "gru", "gru_cell", "sequence"),
    _x("sgd-momentum", "One step of SGD with momentum", E, "momentum", "sgd_momentum_step", "optimizers"),
    _x("rmsprop", "One RMSProp step", M, "rmsprop", "rmsprop_step", "optimizers"),
    _x("adam", "One Adam step", M, "adam-bias-correction", "adam_step", "optimizers"),
    _x("adamw", "One AdamW step", M, "adamw", "adamw_step", "optimizers"),
    _x(
        "clip-grad-norm",
        "Clipping gradients by their global norm",
        E,
        "gradient-clipping",
        "clip_grad_norm",
        "optimizers",
    ),
    _x("xavier-init", "Xavier initialisation", E, "xavier-init", "xavier_uniform xavier_normal", "initialization"),
    _x("he-init", "He initialisation", E, "he-init", "he_normal he_uniform", "initialization"),
    _x("numerical-gradient", "A numerical gradient check", M, "gradient-checking", "numerical_gradient", "gradients"),
    _x(
        "embedding-backward", "Embedding backward: scatter-add", M, "embedding-layer", "embedding_backward", "gradients"
    ),
    _x("top-k-top-p", "Top-k and top-p (nucleus) filtering", H, "decoding-strategies", "top_k_top_p", "decoding"),
)

_BY_ID = {exercise.id: exercise for exercise in EXERCISES}


def get(exercise_id: str) -> Exercise | None:
    return _BY_ID.get(exercise_id)


def for_item(item_id: str) -> list[Exercise]:
    """The exercises that belong to a bank item."""
    return [exercise for exercise in EXERCISES if exercise.item == item_id]


def find(name: str) -> Exercise:
    """The exercise called ``name`` (an exercise id, or the id of a bank item with one exercise).

    Raises a UserError that says what is close when nothing matches.
    """
    key = name.strip().lower().replace("_", "-")
    found = _BY_ID.get(key)
    if found is not None:
        return found
    owned = for_item(key)
    if len(owned) == 1:
        return owned[0]
    if owned:
        ids = ", ".join(e.id for e in owned)
        raise UserError(f"item '{name}' has {len(owned)} exercises: {ids}; name one of them")
    close = closest(key, list(_BY_ID) + [e.item for e in EXERCISES])  # an exercise's id or its item's
    close_ids = list(dict.fromkeys(_BY_ID[c].id if c in _BY_ID else for_item(c)[0].id for c in close))
    raise UserError(f"no exercise '{name}'{suggestion(close_ids)} ('dlquiz implement' lists them)")


def exercise_of_card(card_id: str) -> Exercise | None:
    """The exercise whose card this is (None for a bank item's card)."""
    return get(card_id[len(CARD_PREFIX) :]) if card_id.startswith(CARD_PREFIX) else None
