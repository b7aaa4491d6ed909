"""RMSNorm, SwiGLU, the LLaMA block, parameter counts, weight tying and perplexity."""

import math

import numpy as np
import pytest

from dlquiz.reference.decoder import (
    decoder_param_count,
    ffn_param_count,
    llama_block_forward,
    perplexity,
    rms_norm_backward,
    rms_norm_forward,
    silu,
    swiglu_backward,
    swiglu_forward,
    swiglu_hidden_size,
    tied_embedding_savings,
)
from dlquiz.reference.gradcheck import numerical_gradient, relative_error


def test_rms_norm_by_hand():
    # x = (3, 4): mean(x²) = 12.5, so y = x/√12.5 ⊙ weight
    out, _ = rms_norm_forward(np.array([[3.0, 4.0]]), np.array([1.0, 2.0]), eps=0.0)
    r = 1 / math.sqrt(12.5)
    assert np.allclose(out, [[3 * r, 8 * r]], rtol=1e-15)


def test_rms_norm_default_eps_is_the_dtype_epsilon_and_no_centring():
    x = np.array([[1.0, 1.0, 1.0]])
    out, _ = rms_norm_forward(x, np.ones(3))
    # LayerNorm would give zeros for a constant row; RMSNorm leaves it at 1/√(1 + 2.2e-16)
    assert np.allclose(out, 1.0, rtol=1e-15)
    out_eps, _ = rms_norm_forward(x, np.ones(3), eps=3.0)
    assert np.allclose(out_eps, 0.5)


def rms_grad_ok(backward):
    rng = np.random.default_rng(0)
    x, w, dout = rng.normal(size=(2, 3, 5)), rng.normal(size=5), rng.normal(size=(2, 3, 5))
    _, cache = rms_norm_forward(x, w, eps=1e-5)
    dx, dw = backward(dout, cache)

    def loss(_):
        return float(np.sum(rms_norm_forward(x, w, eps=1e-5)[0] * dout))

    return (
        relative_error(dx, numerical_gradient(loss, x)) < 1e-6
        and relative_error(dw, numerical_gradient(loss, w)) < 1e-6
    )


def test_rms_norm_backward_matches_finite_differences():
    assert rms_grad_ok(rms_norm_backward)


def test_rms_check_catches_the_gradient_that_ignores_the_norm_term():
    def treats_r_as_constant(dout, cache):
        x, r, w = cache
        return r * w * dout, (dout * x * r).reshape(-1, x.shape[-1]).sum(axis=0)

    assert not rms_grad_ok(treats_r_as_constant)


def test_silu_values():
    assert silu(np.array(0.0)) == 0.0
    assert silu(np.array(1.0)) == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-15)


def swiglu_weights(seed, d=4, h=6):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(3, d)), rng.normal(size=(d, h)), rng.normal(size=(d, h)), rng.normal(size=(h, d))


def test_swiglu_forward_by_hand():
    x = np.array([[1.0, 0.0]])
    Wg, Wu, Wd = np.array([[2.0], [5.0]]), np.array([[3.0], [7.0]]), np.array([[1.0, -1.0]])
    s = 2 / (1 + math.exp(-2))  # silu(2)
    assert np.allclose(swiglu_forward(x, Wg, Wu, Wd), [[3 * s, -3 * s]], rtol=1e-15)


def test_swiglu_backward_matches_finite_differences():
    x, Wg, Wu, Wd = swiglu_weights(1)
    dout = np.random.default_rng(2).normal(size=(3, 4))
    grads = swiglu_backward(dout, x, Wg, Wu, Wd)

    def loss(_):
        return float(np.sum(swiglu_forward(x, Wg, Wu, Wd) * dout))

    for g, wrt in zip(grads, (x, Wg, Wu, Wd), strict=True):
        assert g.shape == wrt.shape
        assert relative_error(g, numerical_gradient(loss, wrt)) < 1e-6


def test_swiglu_sizes_match_a_4d_ffn():
    assert swiglu_hidden_size(4096) == 11008
    assert swiglu_hidden_size(5120) == 13824  # LLaMA-13B
    assert ffn_param_count(4096, 4 * 4096) == 8 * 4096**2 == 134_217_728
    assert ffn_param_count(4096, 11008, gated=True) == 135_266_304
    assert ffn_param_count(10, 40, bias=True) == 800 + 40 + 10
    assert ffn_param_count(10, 40, gated=True, bias=True) == 1200 + 80 + 10


def test_llama_2_7b_parameter_count():
    assert decoder_param_count(32000, 4096, 32, 32, 32, 11008) == 6_738_415_616
    assert decoder_param_count(32000, 4096, 32, 32, 32, 11008, tied=True) == 6_738_415_616 - 32000 * 4096


def test_tying_saves_v_times_d():
    assert tied_embedding_savings(50257, 768) == 38_597_376


def block_params(seed, d=8, H=4, Hkv=2, hidden=12):
    rng = np.random.default_rng(seed)
    hd = d // H
    return {
        "attn_norm": np.ones(d),
        "ffn_norm": np.ones(d),
        "Wq": rng.normal(0, d**-0.5, (d, d)),
        "Wk": rng.normal(0, d**-0.5, (d, Hkv * hd)),
        "Wv": rng.normal(0, d**-0.5, (d, Hkv * hd)),
        "Wo": rng.normal(0, d**-0.5, (d, d)),
        "W_gate": rng.normal(0, d**-0.5, (d, hidden)),
        "W_up": rng.normal(0, d**-0.5, (d, hidden)),
        "W_down": rng.normal(0, hidden**-0.5, (hidden, d)),
    }


def test_llama_block_is_causal_and_keeps_the_residual_path():
    p = block_params(3)
    x = np.random.default_rng(4).normal(size=(5, 8))
    y = llama_block_forward(x, p, 4, 2)
    x2 = x.copy()
    x2[4] += 1.0  # changing the last token cannot change earlier outputs
    assert np.allclose(llama_block_forward(x2, p, 4, 2)[:4], y[:4])
    zero = {k: (np.zeros_like(v) if k.startswith("W") else v) for k, v in p.items()}
    assert np.allclose(llama_block_forward(x, zero, 4, 2), x)  # sublayers off: the identity


def test_perplexity_uniform_is_the_vocabulary_size_and_matches_cross_entropy():
    assert perplexity(np.zeros((4, 50)), np.array([0, 3, 7, 49])) == pytest.approx(50.0, rel=1e-13)
    logits = np.array([[2.0, 0.0], [0.0, 1.0]])
    p1, p2 = math.exp(2) / (math.exp(2) + 1), math.e / (1 + math.e)
    assert perplexity(logits, np.array([0, 1])) == pytest.approx(math.exp(-(math.log(p1) + math.log(p2)) / 2))
    # the geometric mean of 1/p, not the arithmetic mean of 1/p
    assert perplexity(logits, np.array([0, 1])) == pytest.approx(1 / math.sqrt(p1 * p2))
