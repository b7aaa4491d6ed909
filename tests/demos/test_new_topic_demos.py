"""The demos of the 2026 topics (LLM internals, efficiency, CNN design, representation learning):
each function runs directly and renders at 80 columns, and its key numbers match hand computations."""

import math

import numpy as np
import pytest
from rich.cells import cell_len

from dlquiz.demos import conv_design, efficiency, llm, representation, run_demo
from dlquiz.ui.console import make_console
from dlquiz.ui.demo import render_demo

NEW = [(module, name) for module in (llm, efficiency, conv_design, representation) for name in module.__all__]


def table(result, part):
    return next(t for t in result.tables if part in t.title)


@pytest.mark.parametrize("module, name", NEW, ids=[f"{m.__name__.split('.')[-1]}.{n}" for m, n in NEW])
def test_runs_directly_and_renders_within_80_columns(module, name):
    result = getattr(module, name)()
    console = make_console(width=80, record=True, no_color=True)
    with console.capture() as captured:
        render_demo(console, result)
    text = captured.get()
    assert result.title in text
    assert max(cell_len(line.rstrip()) for line in text.splitlines()) <= 80
    for note in result.notes:  # every note is there, wrapped or not
        assert note.split()[0] in text


def test_at_least_ten_new_demos():
    assert len(NEW) >= 10


def test_rope_scores_equal_across_positions_and_added_pe_does_not():
    rows = table(run_demo("llm.rope_relative_scores"), "Score").rows
    rope_scores = [r[2] for r in rows]
    added = [r[3] for r in rows]
    assert max(rope_scores) - min(rope_scores) < 1e-12
    assert max(added) - min(added) > 0.1


def test_kv_cache_demo_counts_and_agreement():
    rows = table(run_demo("llm.kv_cache_decoding", ["length=5"]), "Step").rows
    assert [r[3] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[4] for r in rows] == [1, 3, 6, 10, 15]  # the causal triangle of each recomputed prefix
    assert [r[5] for r in rows] == [1, 4, 9, 16, 25]
    assert all(r[2] < 1e-12 for r in rows)


def test_gqa_cache_sizes_llama2():
    rows = table(run_demo("llm.gqa_cache_sizes"), "tokens").rows
    assert [r[2] for r in rows] == [2.0, 0.5, 0.25, 0.0625]
    assert rows[0][3] == 4 * 4096**2


def test_sampling_filters_by_hand():
    rows = table(run_demo("llm.sampling_filters"), "Next").rows
    z = np.array([3.0, 2.5, 2.0, 1.0, 0.5, 0.0, -1.0, -2.0])
    p = np.exp(z) / np.exp(z).sum()
    # top-3 renormalised: 0.4412/0.8711 = 0.506 < 0.8, the first two 0.8128 ≥ 0.8: two kept
    kept = p[:2] / p[:2].sum()
    assert [r[5] == 0 for r in rows[2:]] == [True] * 6
    assert rows[0][4] == pytest.approx(kept[0]) and rows[1][4] == pytest.approx(kept[1])


def test_beam_beats_greedy():
    rows = table(run_demo("llm.beam_vs_greedy"), "Decoded").rows
    assert rows[0][1] == "nice day" and rows[0][2] == pytest.approx(0.3, rel=1e-4)
    assert rows[1][1] == "good day" and rows[1][2] == pytest.approx(0.36, rel=1e-4)
    assert table(run_demo("llm.beam_vs_greedy", ["beam_width=1"]), "Decoded").rows[1][1] == "nice day"


def test_quantization_error_bound_and_per_channel_gain():
    rows = table(run_demo("efficiency.int8_quantization"), "round trip").rows
    assert all(r[4] <= 1 + 1e-9 for r in rows)
    assert rows[1][2] < rows[0][2] / 5


def test_fp16_bf16_demo_numbers():
    result = run_demo("efficiency.fp16_vs_bf16")
    formats = {r[0]: r for r in table(result, "Formats").rows}
    assert formats["fp16"][1] == 65504 and formats["bf16"][3] == 2**-7
    rounded = {r[0]: r for r in table(result, "Rounded").rows}
    assert math.isinf(rounded["70000"][1]) and rounded["1e-09"][1] == 0 and rounded["1e-09"][2] > 0
    lost = {r[0]: r[1] for r in table(result, "become 0").rows}
    # log-uniform over [1e−10, 1e−2]: fp16 keeps magnitudes ≥ 2^−25 ≈ 3e−8 (half the smallest subnormal)
    assert lost["fp16"] == pytest.approx((math.log10(2**-25) + 10) / 8, abs=0.02)
    assert lost["bf16"] == 0


def test_training_memory_demo():
    result = run_demo("efficiency.training_memory", ["billions=7.5", "gpus=64"])
    totals = {r[0]: r[5] for r in table(result, "parameters").rows}
    assert totals["Adam, fp32"] == pytest.approx(120.0) and totals["SGD, fp32"] == pytest.approx(60.0)
    zero = [r[1] for r in table(result, "per GPU").rows]
    assert zero == pytest.approx([120, 31.40625, 16.640625, 1.875])


def test_lora_savings_demo():
    result = run_demo("efficiency.lora_savings")
    rows = {r[0]: r for r in table(result, "projection").rows}
    assert rows[8][1] == 65536 and rows[8][3] == pytest.approx(1 / 256)
    checks = {r[0]: r[1] for r in table(result, "Checks").rows}
    assert checks["max |LoRA − base| at init (B = 0)"] == 0 and checks["max |merged W′ − LoRA| after training"] < 1e-12


def test_separable_costs():
    rows = {r[0]: r for r in table(run_demo("conv_design.separable_conv_cost"), "Cost").rows}
    assert rows["standard 3×3"][1] == 256 * 256 * 9
    assert rows["separable (sum)"][1] == 256 * 9 + 256 * 256
    assert rows["separable (sum)"][2] == (256 * 9 + 256 * 256) * 56 * 56


def test_receptive_field_growth_formula_and_measurement():
    result = run_demo("conv_design.receptive_field_growth", ["layers=5"])
    rows = table(result, "after each layer").rows
    assert [r[1] for r in rows] == [3, 5, 7, 9, 11]
    assert [r[2] for r in rows] == [3, 7, 15, 31, 63]
    assert all(r[1] == r[2] for r in table(result, "Measured").rows)


@pytest.mark.parametrize("kernel, stride, uneven", [(3, 2, True), (4, 2, False), (3, 1, False)])
def test_transposed_overlap(kernel, stride, uneven):
    result = run_demo("conv_design.transposed_conv_overlap", [f"kernel={kernel}", f"stride={stride}"])
    cover = np.array(result.heatmaps[0].matrix)
    assert cover.shape == (4 * stride + kernel,) * 2
    assert cover.sum() == 25 * kernel * kernel  # 25 stamps of k² ones
    checks = {r[0]: r[1] for r in table(result, "Checks").rows}
    assert checks["⟨conv2d(x), y⟩"] == pytest.approx(checks["⟨x, conv_transpose2d(y)⟩"], rel=1e-12)
    assert ("uneven" in result.notes[0]) == uneven


def test_embedding_demo_rows():
    result = run_demo("representation.embedding_gradients")
    rows = {r[0]: r for r in table(result, "Gradient").rows}
    assert rows["the"][1] == 2 and rows["<pad>"][2] == "[0, 0, 0]"


def test_infonce_demo_monotone_in_temperature():
    rows = table(run_demo("representation.infonce_temperature"), "Temperature").rows
    shares = [r[3] for r in rows]
    assert shares == sorted(shares)
    assert all(r[1] > 0 for r in rows)


def test_diffusion_demo_values():
    result = run_demo("representation.diffusion_schedules", ["steps=1000"])
    rows = {r[0]: r for r in table(result, "ᾱ").rows}
    betas = np.linspace(1e-4, 0.02, 1000)
    assert rows[500][1] == pytest.approx(np.prod(1 - betas[:500]))
    jump = table(result, "One jump").rows[0][1]
    ab = np.prod(1 - betas[:500])
    assert jump == pytest.approx(math.sqrt(ab) + 0.5 * math.sqrt(1 - ab))


def test_distillation_and_label_smoothing_demos():
    rows = table(run_demo("representation.distillation_temperature"), "Softened").rows
    assert [r[2] / r[0] ** 2 for r in rows] == pytest.approx([r[3] for r in rows])
    smooth = run_demo("representation.label_smoothing_targets", ["classes=5", "smoothing=0.1"])
    assert table(smooth, "Targets").rows[0] == pytest.approx([0.92, 0.02])
    losses = [r[3] for r in table(smooth, "confident").rows]
    assert losses.index(min(losses)) == 2  # gap 4 is nearest the optimum log(0.92/0.02) = 3.83
    assert "no finite optimum" in run_demo("representation.label_smoothing_targets", ["smoothing=0"]).notes[0]
