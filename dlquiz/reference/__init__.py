"""Reference implementations of deep-learning concepts in plain NumPy.

Each module is a small textbook: short, vectorized float64 code with the formula in its docstring,
following PyTorch's conventions where textbooks differ. Nothing here does I/O or knows the question
bank exists. Import the modules directly (``from dlquiz.reference import activations``); this package
imports nothing itself, so ``dlquiz --help`` stays free of numpy.
"""
