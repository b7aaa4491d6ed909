"""Every exercise's Spec (its checks and its classic mistakes), gathered from the case modules."""

from __future__ import annotations

from dlquiz.implement.cases import (
    Spec,
    activations,
    attention,
    cnn,
    decoding,
    gradients,
    initialization,
    layers,
    losses,
    normalization,
    optimizers,
    sequence,
)

MODULES = (
    activations,
    attention,
    cnn,
    decoding,
    gradients,
    initialization,
    layers,
    losses,
    normalization,
    optimizers,
    sequence,
)
SPECS: dict[str, Spec] = {exercise_id: spec for module in MODULES for exercise_id, spec in module.SPECS.items()}
