"""Exercises of the 2026 topics: the answer recomputed here from the prompt's inputs, a learner's
4-significant-digit hand calculation accepted, and the classic mistake rejected, over many draws."""

import math

import numpy as np
from pytest import approx

from dlquiz.exercises import check_answer, conv_design, efficiency, llm, representation

from .helpers import runs

MANY = range(300)


def sig(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits - 1}e}")


def every(generator, seeds=MANY):
    return [generator(np.random.default_rng(s)) for s in seeds]


def text(values) -> str:
    return ", ".join(repr(float(v)) for v in values)


def accepted(ex, values) -> bool:
    verdict = check_answer(ex, text(values))
    assert verdict.readable
    return verdict.correct


# --------------------------------------------------------------------------- LLM internals


def test_kv_cache_size():
    for ex in every(llm.kv_cache_size):
        i = ex.inputs
        size = 2 * i["layers"] * i["kv_heads"] * i["head_dim"] * i["tokens"] * i["batch"] * 2 / 2**30
        assert ex.answer == approx((size,), rel=1e-12)
        assert accepted(ex, (sig(size),))
        assert not accepted(ex, (size / 2,))  # keys only, or values only
        assert not accepted(ex, (size * 2**30 / 1e9,)) or size == 0  # GB instead of GiB: 7 % off


def test_rope_rotation():
    for ex in every(llm.rope_rotation):
        i = ex.inputs
        phi = i["m"] * 10000 ** (-2 * i["i"] / i["d"])
        c, s = math.cos(phi), math.sin(phi)
        exact = (i["a"] * c - i["b"] * s, i["a"] * s + i["b"] * c)
        assert ex.answer == approx(exact, rel=1e-12, abs=1e-14)
        assert math.hypot(*ex.answer) == approx(math.hypot(i["a"], i["b"]))
        assert accepted(ex, (i["a"] * sig(c) - i["b"] * sig(s), i["a"] * sig(s) + i["b"] * sig(c)))
        theta = 10000 ** (-2 * i["i"] / i["d"])  # rotating by θ, forgetting the position
        if abs(phi - theta) > 0.05:
            wrong = (
                i["a"] * math.cos(theta) - i["b"] * math.sin(theta),
                i["a"] * math.sin(theta) + i["b"] * math.cos(theta),
            )
            assert not accepted(ex, wrong)


def test_temperature_softmax():
    for ex in every(llm.temperature_softmax):
        z, t = ex.inputs["z"], ex.inputs["T"]
        e = [math.exp(v / t) for v in z]
        assert ex.answer == approx((max(e) / sum(e),), rel=1e-12)
        assert accepted(ex, (sig(max(e)) / sig(sum(e)),))
        m = [math.exp(v * t) for v in z]  # multiplying by T instead of dividing
        assert not accepted(ex, (max(m) / sum(m),))


def test_top_p_nucleus():
    for ex in every(llm.top_p_nucleus):
        probs, p = sorted(ex.inputs["probs"], reverse=True), ex.inputs["p"]
        total, count = 0.0, 0
        while total < p - 1e-12:
            total += probs[count]
            count += 1
        assert ex.answer == approx((count, probs[0] / total), rel=1e-12)
        assert accepted(ex, (count, sig(probs[0] / total)))
        # dropping the token that crosses p keeps one token fewer
        assert not accepted(ex, (count - 1, probs[0] / max(total - probs[count - 1], 1e-9)))


def test_perplexity():
    for ex in every(llm.perplexity_from_probabilities):
        p = ex.inputs["p"]
        geometric = math.prod(p) ** (-1 / 4)
        assert ex.answer == approx((geometric,), rel=1e-12)
        assert accepted(ex, (math.exp(sig(sum(-math.log(v) for v in p) / 4)),))
        assert not accepted(ex, (sum(1 / v for v in p) / 4,))


# --------------------------------------------------------------------------- efficiency


def test_int8_quantize():
    for ex in every(efficiency.int8_quantize):
        w, j = ex.inputs["w"], ex.inputs["j"] - 1
        scale = max(abs(v) for v in w) / 127
        q = round(w[j] / scale)
        assert ex.answer == approx((scale, q, q * scale), rel=1e-12)
        assert abs(q * scale - w[j]) <= scale / 2
        s4 = sig(scale)
        assert accepted(ex, (s4, round(w[j] / s4), round(w[j] / s4) * s4))
        wrong_scale = max(abs(v) for v in w) / 255  # the unsigned range
        assert not accepted(ex, (wrong_scale, round(w[j] / wrong_scale), round(w[j] / wrong_scale) * wrong_scale))


def test_training_memory():
    for ex in every(efficiency.training_memory):
        psi, n, stage = ex.inputs["billions"] * 1e9, ex.inputs["gpus"], ex.inputs["stage"]
        per = {1: 4 * psi + 12 * psi / n, 2: 2 * psi + 14 * psi / n, 3: 16 * psi / n}[stage]
        assert ex.answer == approx((16 * psi / 1e9, per / 1e9), rel=1e-12)
        assert accepted(ex, (sig(16 * psi / 1e9), sig(per / 1e9)))
        assert not accepted(ex, (4 * psi / 1e9, per / 1e9))  # weights and gradients only, in fp16


def test_lora_params():
    for ex in every(efficiency.lora_params):
        r, a, b = ex.inputs["r"], ex.inputs["d_in"], ex.inputs["d_out"]
        assert ex.answer == approx((r * (a + b), 100 * r * (a + b) / (a * b)), rel=1e-12)
        assert accepted(ex, (r * (a + b), sig(100 * r * (a + b) / (a * b))))
        assert not accepted(ex, (r * a * b, 100 * r))


# --------------------------------------------------------------------------- CNN design


def test_separable_conv_params():
    for ex, inp in runs(conv_design.separable_conv_params, seeds=MANY):
        ci, co, k = inp["C_in"], inp["C_out"], inp["k"]
        assert ex.answer == (co * ci * k * k, ci * k * k + ci * co)
        assert not accepted(ex, (co * ci * k * k, ci * co * k * k + ci * co))  # a full conv as "depthwise"


def test_receptive_field_stack():
    for ex, inp in runs(conv_design.receptive_field_stack, seeds=MANY):
        positions = {0}
        for k, s in reversed(list(zip(inp["k"], inp["s"], strict=True))):
            positions = {p * s + u for p in positions for u in range(k)}
        assert ex.answer == (max(positions) - min(positions) + 1,)
        assert not accepted(ex, (1 + sum(k - 1 for k in inp["k"]),))  # strides ignored


def test_transposed_conv_output():
    for ex, inp in runs(conv_design.transposed_conv_output, seeds=MANY):
        w, k, s, p, op = inp["W"], inp["K"], inp["S"], inp["P"], inp["output_padding"]
        assert ex.answer == ((w - 1) * s - 2 * p + k + op,)
        conv_formula = (w + 2 * p - k) // s + 1
        if conv_formula != ex.answer[0]:
            assert not accepted(ex, (conv_formula,))


# --------------------------------------------------------------------------- representation


def test_cosine_similarity():
    for ex in every(representation.cosine_similarity):
        u, v = ex.inputs["u"], ex.inputs["v"]
        dot = sum(a * b for a, b in zip(u, v, strict=True))
        nu, nv = math.sqrt(sum(a * a for a in u)), math.sqrt(sum(b * b for b in v))
        assert ex.answer == approx((dot / (nu * nv),), rel=1e-12)
        assert accepted(ex, (dot / (sig(nu) * sig(nv)),))
        assert not accepted(ex, (dot,))


def test_label_smoothing_loss():
    for ex in every(representation.label_smoothing_loss):
        z, y, eps = ex.inputs["z"], ex.inputs["y"], ex.inputs["eps"]
        lse = math.log(sum(math.exp(v) for v in z))
        logp = [v - lse for v in z]
        loss = -sum(((1 - eps) * (c == y) + eps / 3) * lp for c, lp in enumerate(logp))
        assert ex.answer == approx((loss,), rel=1e-12)
        lse4 = sig(lse)
        assert accepted(ex, (-sum(((1 - eps) * (c == y) + eps / 3) * (v - lse4) for c, v in enumerate(z)),))
        others = -((1 - eps) * logp[y] + eps / 2 * (sum(logp) - logp[y]))  # ε over the C − 1 wrong classes
        assert not accepted(ex, (others,))


def test_diffusion_noising():
    for ex in every(representation.diffusion_noising):
        betas, x0, eps = ex.inputs["betas"], ex.inputs["x0"], ex.inputs["eps"]
        ab = math.prod(1 - b for b in betas)
        x3 = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
        assert ex.answer == approx((ab, x3), rel=1e-12)
        assert accepted(ex, (sig(ab), sig(math.sqrt(sig(ab))) * x0 + sig(math.sqrt(1 - sig(ab))) * eps))
        wrong_ab = 1 - sum(betas)
        assert not accepted(ex, (wrong_ab, math.sqrt(wrong_ab) * x0 + math.sqrt(1 - wrong_ab) * eps))
