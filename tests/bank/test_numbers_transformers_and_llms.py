"""Every number quoted in questions/transformers-and-llms.yaml, recomputed from the reference code."""

import math
from itertools import pairwise

import numpy as np
import pytest

from dlquiz.reference import decoder, decoding, kv_cache, long_context, rope, sequence_conv, tokenization
from dlquiz.reference.attention import causal_mask, positional_encoding, scaled_dot_product_attention
from dlquiz.reference.conv_design import conv_cost, grouped_conv2d
from dlquiz.reference.normalization import layernorm_forward

SENNRICH = {"low": 5, "lower": 2, "newest": 6, "widest": 3}
GPT2_SMALL = {"vocab": 50257, "d": 768, "layers": 12, "positions": 1024}
LLAMA2_7B = {"vocab": 32000, "d_model": 4096, "num_layers": 32, "num_heads": 32, "num_kv_heads": 32, "hidden": 11008}
LLAMA32_1B = {"vocab": 128256, "d_model": 2048, "num_layers": 16, "num_heads": 32, "num_kv_heads": 8, "hidden": 8192}


def gpt2_small_params():
    """GPT-2 small counted layer by layer: tied embeddings, learned positions, biases, two LayerNorms per block."""
    v, d, n, p = GPT2_SMALL.values()
    block = (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * 2 * d
    return v * d + p * d + n * block + 2 * d


def millions(x):
    return f"{x / 1e6:.1f} M"


def test_bpe_first_merges_and_their_count(text):
    merges = tokenization.bpe_learn(SENNRICH, 3)
    assert merges == [("e", "s"), ("es", "t"), ("est", "</w>")]
    pairs: dict = {}
    for word, freq in SENNRICH.items():
        symbols = [*word, "</w>"]
        for pair in pairwise(symbols):
            pairs[pair] = pairs.get(pair, 0) + freq
    assert pairs[("e", "s")] == 6 + 3 == max(pairs.values())
    assert [pair for pair, count in pairs.items() if count == 9] == [("e", "s"), ("s", "t"), ("t", "</w>")]
    t = text("tokenization-and-output-softmax")
    assert "the first merges are (e, s), seen 6 + 3 = 9 times (tied with (s, t) and (t, `</w>`);" in t
    assert "the pair counted first wins), then (es, t) and (est, `</w>`)" in t


def test_subwords_leave_nothing_out_of_vocabulary():
    merges = tokenization.bpe_learn(SENNRICH, 10)
    assert tokenization.bpe_encode("lowest", merges) == ["low", "est</w>"]  # never seen, built from pieces
    assert tokenization.bpe_encode("xyz", merges) == ["x", "y", "z", "</w>"]  # at worst, characters


def test_output_softmax_cost(text):
    params, macs = tokenization.softmax_cost(GPT2_SMALL["vocab"], GPT2_SMALL["d"], tied=True)
    assert params == macs == 50257 * 768
    t = text("tokenization-and-output-softmax")
    assert f"{millions(macs)} per token for GPT-2 small (V = 50,257, d = 768), from a matrix of {millions(params)}" in t
    assert f"({millions(macs)} for GPT-2 small)" in t


def test_weight_tying_savings(text):
    t = text("weight-tying")
    saved = decoder.tied_embedding_savings(GPT2_SMALL["vocab"], GPT2_SMALL["d"])
    total = gpt2_small_params()
    assert total == 124_439_808  # the published 124 M
    assert f"saves {saved:,}, about {saved / total:.0%} of its {total / 1e6:.0f} M".replace("%", " %") in t
    assert f"V·d parameters: GPT-2 small saves {millions(saved)} of its {total / 1e6:.0f} M" in t
    assert f"Saves V·d parameters: {millions(saved)}, about {saved / total:.0%} of GPT-2 small".replace("%", " %") in t
    llama = decoder.decoder_param_count(**LLAMA2_7B)
    vd = LLAMA2_7B["vocab"] * LLAMA2_7B["d_model"]
    assert f"a small share ({vd / llama:.1%} of LLaMA-2-7B)".replace("%", " %") in t
    assert llama - decoder.decoder_param_count(**LLAMA2_7B, tied=True) == vd
    assert (
        f"V·d is only {vd / 1e6:.0f} M of its {llama / 1e9:.2f} B parameters ({vd / llama:.1%})".replace("%", " %") in t
    )
    small = decoder.decoder_param_count(**LLAMA32_1B, tied=True)
    assert small == 1_235_814_400  # the published 1.24 B
    small_vd = decoder.tied_embedding_savings(LLAMA32_1B["vocab"], LLAMA32_1B["d_model"])
    assert (
        f"its V·d ({small_vd / 1e6:.0f} M, with V = 128,256 and d = 2048) is {small_vd / small:.0%} of its "
        f"{small / 1e9:.2f} B".replace("%", " %")
        in t
    )


def test_perplexity_examples(text):
    t = text("language-model-perplexity")
    probs = np.array([0.5, 0.25, 0.1, 0.2])
    logits = np.log(np.stack([probs, 1 - probs], axis=1))  # each row a distribution; target column 0
    ppl = decoder.perplexity(logits, np.zeros(4, dtype=int))
    assert ppl == pytest.approx(np.prod(1 / probs) ** 0.25)
    assert f"PPL = (2·4·10·5)^(1/4) = {ppl:.2f}" in t
    vocab = 50
    assert decoder.perplexity(np.zeros((7, vocab)), np.arange(7)) == pytest.approx(vocab)  # uniform over V gives V
    assert decoder.perplexity(np.array([[60.0, 0.0, 0.0]]), np.array([0])) == pytest.approx(1.0)
    assert f"A loss of 3.0 nats is a perplexity of e³ ≈ {math.exp(3):.1f}" in t


def test_rope_angles_and_alibi_slopes(text):
    t = text("rope-relative-positions")
    theta = rope.rope_angles([1], 8)[0]
    assert np.allclose(theta, [1, 0.1, 0.01, 0.001])
    assert "the angles per position are 1, 0.1, 0.01 and 0.001 rad" in t
    slopes = rope.alibi_slopes(8)
    assert slopes[0] == 1 / 2 and slopes[-1] == 1 / 256
    assert "slopes 1/2 … 1/256 for 8 heads" in t


def test_rope_demo_scores(text):
    # the demo llm.rope_relative_scores with its defaults: d = 8, offset 3, seed 0
    r = np.random.default_rng(0)
    q, k = r.standard_normal(8), r.standard_normal(8)
    starts = [3, 13, 103, 1003]
    pe = positional_encoding(starts[-1] + 1, 8)
    with_rope = [
        rope.apply_rope(q[None], positions=[m])[0] @ rope.apply_rope(k[None], positions=[m - 3])[0] for m in starts
    ]
    added = [(q + pe[m]) @ (k + pe[m - 3]) for m in starts]
    assert max(with_rope) - min(with_rope) < 1e-14
    t = text("rope-relative-positions")
    assert "score the same (to below 1e-14) at m = 3, 13, 103 and 1003" in t
    assert f"with added sinusoids the score spreads over {max(added) - min(added):.2f}" in t


def test_rope_score_depends_on_the_offset_only_in_both_layouts():
    r = np.random.default_rng(1)
    q, k = r.standard_normal(16), r.standard_normal(16)
    perm = rope.rope_pair_permutation(16)
    for interleaved in (True, False):
        qq, kk = (q, k) if interleaved else (q[perm], k[perm])
        scores = [
            rope.apply_rope(qq[None], [m], interleaved=interleaved)[0]
            @ rope.apply_rope(kk[None], [m - 5], interleaved=interleaved)[0]
            for m in (5, 50, 500)
        ]
        assert np.ptp(scores) < 1e-12
    rotated = rope.apply_rope(q[None], [37])[0]
    assert np.linalg.norm(rotated) == pytest.approx(np.linalg.norm(q))
    assert np.allclose(rope.apply_rope(q[perm][None], [37], interleaved=False)[0], rotated[perm])


def test_swiglu_hidden_size_and_parameter_counts(text):
    t = text("modern-decoder-block")
    d = 4096
    hidden = decoder.swiglu_hidden_size(d)
    assert hidden == 11008 == 43 * 256
    gated = decoder.ffn_param_count(d, hidden, gated=True)
    plain = decoder.ffn_param_count(d, 4 * d)
    assert (
        f"for d = 4096, {hidden:,} instead of {4 * d:,}, and {millions(gated)} weights instead of {millions(plain)}"
        in t
    )
    assert f"8·4096/3 = {8 * d / 3:,.1f} → {int(8 * d / 3):,} → {hidden:,}" in t
    assert f"3·4096·11,008 = {gated:,} vs 8·4096² = {plain:,}" in t
    total = decoder.decoder_param_count(**LLAMA2_7B)
    assert f"has {total:,} parameters" in t
    assert f"LLaMA-2-7B: {total / 1e9:.2f} B parameters" in t


def test_rmsnorm_skips_the_centring_that_layernorm_does():
    r = np.random.default_rng(2)
    x = r.standard_normal((3, 8))
    gain = r.standard_normal(8)
    y, _ = decoder.rms_norm_forward(x, gain, eps=1e-6)
    assert np.allclose(y, gain * x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6))
    centred = x - x.mean(axis=-1, keepdims=True)
    ln, _ = layernorm_forward(centred, gain, np.zeros(8), eps=1e-6)
    assert np.allclose(decoder.rms_norm_forward(centred, gain, eps=1e-6)[0], ln)  # equal once the mean is 0
    assert not np.allclose(y, layernorm_forward(x, gain, np.zeros(8), eps=1e-6)[0])


def test_prenorm_block_keeps_the_residual_stream_as_an_identity_path():
    r = np.random.default_rng(3)
    d, hidden = 8, 16
    params = {
        "attn_norm": np.ones(d),
        "ffn_norm": np.ones(d),
        "Wq": r.standard_normal((d, d)),
        "Wk": r.standard_normal((d, d)),
        "Wv": r.standard_normal((d, d)),
        "Wo": np.zeros((d, d)),
        "W_gate": r.standard_normal((d, hidden)),
        "W_up": r.standard_normal((d, hidden)),
        "W_down": np.zeros((hidden, d)),
    }
    x = 5 + 3 * r.standard_normal((4, d))  # far from normalised: pre-norm leaves it alone
    assert np.array_equal(decoder.llama_block_forward(x, params, 2, 2), x)


def test_kv_cache_sizes(text):
    t = text("kv-cache")
    per_token = kv_cache.kv_cache_bytes(32, 32, 128, 1)
    assert per_token == 2 * 32 * 32 * 128 * 2 == 512 * 2**10
    assert f"2·32·32·128·2 = {per_token:,} bytes = {per_token // 2**10} KiB per token" in t
    full = kv_cache.kv_cache_bytes(32, 32, 128, 4096)
    assert f"× 4,096 tokens = {full:,} bytes = {full / 2**30:g} GiB" in t
    assert f"needs {per_token // 2**10} KiB per token, {full / 2**30:g} GiB for 4,096 tokens" in t
    assert f"LLaMA-2-7B fp16: {per_token // 2**10} KiB per token, {full / 2**30:g} GiB at 4,096 tokens" in t
    gqa = kv_cache.kv_cache_bytes(32, 8, 128, 4096)
    assert f"(8 KV heads, as in LLaMA 3 8B and Mistral 7B: {gqa / 2**30:g} GiB)" in t
    assert f"H_kv = 8 instead of 32 ⇒ {gqa / 2**30:g} GiB" in t
    assert f"shares each key/value head among {32 // 8} query heads" in t


def test_kv_cache_decoding_equals_causal_attention_and_counts_scores(text):
    r = np.random.default_rng(4)
    length, d, heads = 6, 8, 2
    x = r.standard_normal((length, d))
    W = [r.standard_normal((d, d)) / math.sqrt(d) for _ in range(4)]
    full = kv_cache.grouped_query_attention(x, *W, heads, heads, mask=causal_mask(length), rope=True)
    cache = kv_cache.empty_kv_cache(heads, d // heads)
    for t in range(length):
        out, cache = kv_cache.decode_step(x[t], cache, *W, heads, heads, rope=True)
        assert np.allclose(out, full[t])
    with_cache = sum(t + 1 for t in range(length))
    causal = int(sum(causal_mask(t + 1).sum() for t in range(length)))  # each step redoes the prefix, causal half
    dense = sum((t + 1) ** 2 for t in range(length))  # ... or the full square matrix, masked afterwards
    assert (with_cache, causal, dense) == (21, 56, 91)
    t = text("kv-cache")
    assert f"{with_cache} query–key scores per head with the cache, against {causal} if every step" in t
    assert f"({dense} with full square matrices, as the demo counts)" in t


def test_attention_cost_numbers(text):
    t = text("efficient-attention-long-context")
    macs, scores = long_context.attention_cost(1024, 64)
    assert (macs, scores) == (2 * 1024**2 * 64, 1024**2)
    assert f"{macs:,} multiply-adds in all and {scores:,} scores" in t
    assert long_context.attention_cost(2048, 64) == (4 * macs, 4 * scores)  # doubling L quadruples both
    windowed = long_context.attention_cost(1024, 64, window=256)[0]
    assert f"(W = 256: at most {windowed:,} multiply-adds at L = 1024)" in t
    exact = 2 * int(long_context.sliding_window_mask(1024, 256).sum()) * 64
    assert exact < windowed  # the first 255 tokens see fewer keys: the figure is an upper bound
    assert long_context.attention_cost(2048, 64, window=256)[0] == 2 * windowed
    eight = long_context.attention_cost(1024, 64, num_heads=8)
    assert eight == (macs, 8 * scores)  # more heads: same multiply-adds, more score entries


def test_blockwise_attention_is_exact():
    r = np.random.default_rng(5)
    q, k, v = r.standard_normal((2, 13, 8)), r.standard_normal((2, 13, 8)), r.standard_normal((2, 13, 5))
    for causal in (False, True):
        expected, _ = scaled_dot_product_attention(q, k, v, causal_mask(13) if causal else None)
        assert np.allclose(long_context.blockwise_attention(q, k, v, block_size=4, causal=causal), expected)


def test_sliding_window_sees_the_last_w_keys():
    mask = long_context.sliding_window_mask(10, 4)
    assert mask.sum(axis=1).max() == 4 and np.array_equal(mask[9], [False] * 6 + [True] * 4)


def beam_toy():
    """The two-step toy language model of the demo llm.beam_vs_greedy."""
    table = np.array(
        [
            [1e-6, 0.6, 0.4, 1e-6, 1e-6],
            [1e-6, 1e-6, 1e-6, 0.5, 0.5],
            [1e-6, 1e-6, 1e-6, 0.9, 0.1],
            [0.2] * 5,
            [0.2] * 5,
        ]
    )
    return table / table.sum(axis=1, keepdims=True)


def test_greedy_vs_beam(text):
    table = beam_toy()
    logt = np.log(table)

    def model(tokens):
        return logt[tokens[-1]]

    greedy = decoding.greedy_decode(model, [0], 2)
    beam, logp = decoding.beam_search(model, [0], 2, 2)
    greedy_p = table[0, greedy[1]] * table[greedy[1], greedy[2]]
    assert greedy == [0, 1, 3] and beam == [0, 2, 3]  # "nice day" vs "good day"
    t = text("decoding-strategies")
    assert f'greedy picks "nice" ({table[0, 1]:.1f}) and then a word of probability {table[1, 3]:.1f}' in t
    assert f"a sentence of probability {greedy_p:.2f}, while" in t
    assert f'"good day" has 0.4·0.9 = {math.exp(logp):.2f}' in t


def test_top_p_adapts_where_top_k_does_not(text):
    confident = np.log([0.92, 0.05, 0.02, 0.01])
    flat = np.log([0.35, 0.3, 0.2, 0.15])

    def kept(z):
        return int(np.isfinite(z).sum())

    assert kept(decoding.top_p_filter(confident, 0.9)) == 1
    assert kept(decoding.top_p_filter(flat, 0.9)) == 4
    assert kept(decoding.top_k_filter(confident, 2)) == kept(decoding.top_k_filter(flat, 2)) == 2
    assert "keeps one token and a flat one (0.35, 0.3, 0.2, 0.15) keeps all four, where top-k = 2 keeps two" in text(
        "decoding-strategies"
    )


def test_temperature_keeps_the_ranking():
    z = np.array([2.0, -1.0, 0.5, 3.0])
    for temperature in (0.3, 1.0, 4.0):
        assert np.array_equal(np.argsort(decoding.apply_temperature(z, temperature)), np.argsort(z))


def test_vit_tokens_and_patch_embedding(text):
    t = text("vision-transformer-vs-cnn")
    assert sequence_conv.vit_num_tokens(224, 224, 16, cls_token=False) == 14 * 14 == 196
    assert (
        f"14·14 = 196 patches; with a learnable class token, {sequence_conv.vit_num_tokens(224, 224, 16)} tokens" in t
    )
    projection = conv_cost(3, 768, 16, 14, 14, bias=True)[0]
    assert f"224×224, P = 16: 196 patches + class token = {sequence_conv.vit_num_tokens(224, 224, 16)} tokens" in t
    assert f"has {projection:,} parameters" in t
    p8 = sequence_conv.vit_num_tokens(224, 224, 8)
    assert f"Halving P to 8 gives {p8} tokens and about {round((p8 / 197) ** 2)}× the attention cost" in t


def test_patch_embedding_is_a_convolution_with_stride_equal_to_kernel():
    r = np.random.default_rng(6)
    images, w, b = r.standard_normal((2, 3, 32, 32)), r.standard_normal((5, 3, 8, 8)), r.standard_normal(5)
    conv = grouped_conv2d(images, w, b, stride=8)  # (2, 5, 4, 4)
    assert np.allclose(sequence_conv.patch_embed(images, w, b), conv.reshape(2, 5, 16).transpose(0, 2, 1))
