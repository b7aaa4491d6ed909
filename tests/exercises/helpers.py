"""Shared by the exercise tests: run a generator over several seeds."""

import numpy as np

SEEDS = (0, 1, 2, 3, 4, 5, 11, 42)


def runs(generator, seeds=SEEDS):
    """(exercise, inputs) for each seed."""
    return [(ex, ex.inputs) for ex in (generator(np.random.default_rng(s)) for s in seeds)]


def sigmoid(z):
    import math

    return 1 / (1 + math.exp(-z))
