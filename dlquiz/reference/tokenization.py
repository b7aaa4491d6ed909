"""Subword tokenisation with byte-pair encoding (BPE, Sennrich et al., 2016), and the cost of the
output softmax over the vocabulary.

BPE starts from characters and repeatedly merges the most frequent adjacent pair into a new
symbol. Frequent words end up as single tokens, rare words split into known pieces, and no word is
ever out of vocabulary. The vocabulary size trades sequence length (small V: more tokens per text)
against the embedding and softmax cost, both linear in V.
"""

from itertools import pairwise

__all__ = ["bpe_learn", "bpe_encode", "softmax_cost"]

END = "</w>"


def _pair_counts(words):
    counts = {}
    for symbols, freq in words:
        for pair in pairwise(symbols):
            counts[pair] = counts.get(pair, 0) + freq
    return counts


def _merge(symbols, pair):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def bpe_learn(word_counts, num_merges):
    """Learn BPE merges from a word-frequency table.

    Each word starts as its characters plus an end-of-word marker ``</w>`` (so "st" at the end of
    a word differs from "st" inside one). Then, ``num_merges`` times:

        count every adjacent symbol pair, weighted by the word's frequency;
        merge the most frequent pair everywhere (ties: the pair seen first in the table's order)

    On Sennrich's example {low: 5, lower: 2, newest: 6, widest: 3} the first merges are
    (e, s), (es, t), (est, </w>), (l, o), (lo, w).

    Parameters
    ----------
    word_counts : dict of str to int
        Word → frequency (insertion order breaks ties).
    num_merges : int

    Returns
    -------
    list of (str, str)
        The merges in the order learnt (stops early if no pair is left).
    """
    words = [(tuple(word) + (END,), freq) for word, freq in word_counts.items()]
    merges = []
    for _ in range(num_merges):
        counts = _pair_counts(words)
        if not counts:
            break
        best = max(counts, key=counts.__getitem__)  # max keeps the first of equal counts
        merges.append(best)
        words = [(_merge(symbols, best), freq) for symbols, freq in words]
    return merges


def bpe_encode(word, merges):
    """Split a word into BPE tokens by applying the learnt merges in order.

    A word never seen in training still encodes, falling back to smaller pieces and, at worst,
    single characters.

    Parameters
    ----------
    word : str
    merges : list of (str, str)
        From :func:`bpe_learn`.

    Returns
    -------
    list of str
    """
    symbols = tuple(word) + (END,)
    for pair in merges:
        symbols = _merge(symbols, pair)
    return list(symbols)


def softmax_cost(vocab, d_model, tied=False):
    """Parameters and multiply-adds per token of the output softmax layer (h·W, W of shape (d, V)).

        parameters = V·d (+ V·d for the input embedding unless tied)
        multiply-adds per predicted token = V·d

    V = 50257, d = 768 (GPT-2 small): 38.6 M weights and 38.6 M multiply-adds per token for the
    logits alone. Sampled softmax (score a few negatives in training), hierarchical softmax (a tree,
    log₂V decisions) and adaptive softmax (small clusters for rare words) cut that cost.

    Parameters
    ----------
    vocab, d_model : int
    tied : bool, default False
        Whether the input embedding shares the matrix.

    Returns
    -------
    (int, int)
        (parameters of embedding and output layers, multiply-adds per token).
    """
    return vocab * d_model * (1 if tied else 2), vocab * d_model
