"""Sinusoidal positional encoding.

Attention is blind to order, so "Attention Is All You Need" adds to each
token's embedding a vector that depends on its position: sines and cosines of
geometrically spaced frequencies.
"""

import numpy as np


def positional_encoding(length, d_model):
    """The sinusoidal encodings of positions 0 … length − 1.

        PE[pos, 2i]     = sin(pos / 10000^(2i / d_model))
        PE[pos, 2i + 1] = cos(pos / 10000^(2i / d_model))

    Sines in the even columns and cosines in the odd ones, interleaved. For an
    odd d_model the last column is a sine without its cosine.

    Parameters
    ----------
    length : int
    d_model : int

    Returns
    -------
    ndarray of float64, shape (length, d_model)
    """
    pos = np.arange(length)[:, None]
    two_i = np.arange(0, d_model, 2)
    angles = pos / 10000.0 ** (two_i / d_model)
    pe = np.zeros((length, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : d_model // 2])
    return pe
