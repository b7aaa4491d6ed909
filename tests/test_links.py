"""Links from items into dlquiz's code: what the registration rule lets a bank name, and nothing more."""

from __future__ import annotations

import ast
import json
import os
from dataclasses import fields, replace
from pathlib import Path

import pytest

from dlquiz.bank import links, load_bank
from dlquiz.bank.fields import FIELDS
from dlquiz.errors import UserError
from dlquiz.model import Item

PACKAGES = {kind: Path(links.PACKAGE_DIR, spec.package) for kind, spec in links.KINDS.items()}


def topic_modules(kind: str) -> list[Path]:
    return sorted(p for p in PACKAGES[kind].glob("*.py") if not p.name.startswith("_"))


def top_level(path: Path) -> list[ast.stmt]:
    return ast.parse(path.read_text(encoding="utf-8")).body


def literal_all(path: Path) -> list[str]:
    for node in top_level(path):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return ast.literal_eval(node.value)
    return []


@pytest.mark.parametrize("kind", sorted(links.KINDS))
def test_every_name_a_topic_module_registers_can_be_linked(kind):
    for path in topic_modules(kind):
        for name in literal_all(path):
            assert links.problem(kind, f"{path.stem}.{name}") is None, (path.name, name)


@pytest.mark.parametrize(("kind", "returns"), [("demo", "DemoResult"), ("exercise", "Exercise")])
def test_every_demo_and_generator_is_registered(kind, returns):
    """A new demo or generator that is not in its module's __all__ could never be linked: say so here."""
    for path in topic_modules(kind):
        made = [
            n.name
            for n in top_level(path)
            if isinstance(n, ast.FunctionDef) and n.name[0] != "_" and n.returns and ast.unparse(n.returns) == returns
        ]
        assert made and set(made) <= set(literal_all(path)), (path.name, sorted(set(made) - set(literal_all(path))))


def test_every_public_reference_function_and_class_is_registered():
    for path in topic_modules("code"):
        public = [
            n.name for n in top_level(path) if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name[0] != "_"
        ]
        assert public == literal_all(path), path.name


def test_registered_lists_every_link_of_a_kind_without_importing(tmp_path):
    assert "adaptive.bias_correction" in links.registered("demo")
    assert "activations.sigmoid_derivative" in links.registered("exercise")
    assert "optimizers.Adam" in links.registered("code")
    assert not any(
        link.startswith("_") or link.startswith("__init__") for k in links.KINDS for link in links.registered(k)
    )


def test_load_refuses_a_name_the_module_does_not_register_even_past_the_check(monkeypatch):
    monkeypatch.setattr(links, "problem", lambda kind, link: None)  # as if a planted cache had said yes
    with pytest.raises(UserError, match="not a demo registered in dlquiz.demos.optimizers"):
        links.load("demo", "optimizers.rosenbrock")
    with pytest.raises(UserError, match="not a demo registered"):
        links.load("demo", "optimizers.np")


def test_load_imports_a_registered_demo():
    from dlquiz.demos.adaptive import bias_correction

    assert links.load("demo", "adaptive.bias_correction") is bias_correction


def test_source_shows_a_class_and_refuses_unregistered_names():
    path, line, text = links.source("code", "optimizers.Adam")
    assert path == "dlquiz/reference/optimizers.py" and text.startswith("class Adam")
    with pytest.raises(UserError):
        links.source("code", "layers.mse")  # imported into layers from losses


def test_problems_say_what_to_do():
    assert "did you mean 'optimizers'?" in links.problem("demo", "optimisers.bias_correction")
    assert "not in dlquiz.demos.optimizers.__all__" in links.problem("demo", "optimizers.rosenbrock")
    assert "not in dlquiz.demos.adaptive.__all__" in links.problem("demo", "adaptive.bias_corection")
    assert "did you mean 'adaptive.bias_correction'" not in links.problem("demo", "adaptive.bias_corection")
    assert "did you mean 'bias_correction'?" in links.problem("demo", "adaptive.bias_corection")
    assert "only the topic modules of dlquiz.demos can be linked" in links.problem("demo", "__init__.run_demo")


def test_each_kind_of_link_is_an_item_field_read_by_the_loader():
    item_fields = {f.name for f in fields(Item)}
    for kind in links.KINDS:
        assert kind in item_fields and kind in FIELDS


def test_a_module_changed_since_it_was_cached_is_read_again(tmp_path, monkeypatch, _isolated_home):
    links._package.cache_clear()
    assert links.problem("demo", "adaptive.bias_correction") is None  # fills the cache
    entry = _isolated_home / "cache" / "bank" / "links-demos.json"
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["value"]["adaptive"]["facts"]["listed"] = []  # a stale or planted entry ...
    stored["value"]["adaptive"]["stamp"][0] -= 1  # ... for an older file
    entry.write_text(json.dumps(stored), encoding="utf-8")
    links._package.cache_clear()
    assert links.problem("demo", "adaptive.bias_correction") is None
    links._package.cache_clear()


def test_link_problem_accepts_existing_reference_and_rejects_other_forms():
    assert links.problem("code", "bank_not_a_module.x") is not None
    assert "dlquiz.reference" in links.problem("code", "../../etc.passwd")
    assert "has no module" in links.problem("demo", "nosuchmodule.f")


@pytest.mark.parametrize(
    ("link", "helpers"),
    [
        ("normalization.batchnorm_forward", ["normalization._normalize"]),
        ("normalization.batchnorm_backward", ["normalization._normalize_backward"]),
        ("normalization.layernorm_forward", ["normalization._normalize"]),
        ("normalization.layernorm_backward", ["normalization._normalize_backward"]),
        ("attention.scaled_dot_product_attention", ["attention._attention_weights"]),
        ("convolution.max_pool2d", ["convolution._pool_windows", "convolution._windows"]),  # through a helper
        ("convolution.avg_pool2d", ["convolution._pool_windows", "convolution._windows"]),
        ("activations.gelu", ["activations._gelu_inner"]),
        ("activations.sigmoid", []),  # calls only public code and numpy
    ],
)
def test_sources_follow_the_linked_function_with_the_private_helpers_it_calls(link, helpers):
    found = links.sources("code", link)
    assert [s.name for s in found] == [link, *helpers]
    module = link.split(".")[0]
    for part in found[1:]:
        helper = part.name.split(".")[1]
        assert part.text.startswith(f"def {helper}(") and part.path == f"dlquiz/reference/{module}.py"
        assert part.text.count("\ndef ") == 0  # the helper alone, not the next function too
        assert f"{helper}(" in "\n".join(s.text for s in found[: found.index(part)])  # it is called above


def _code_shown(item) -> str:
    from rich.console import Console

    from dlquiz.ui.items import render_code

    out = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    render_code(out, item)
    return out.export_text()


def test_show_and_review_print_the_helpers_the_model_code_calls():
    bank = load_bank()
    shown = _code_shown(bank.get("batchnorm-backward"))
    assert "return _normalize_backward(dout, cache)" in shown
    assert "def _normalize_backward(dout, cache):" in shown
    assert "dx = inv_std * (d_x_hat - mean_d - x_hat * mean_d_xhat)" in shown  # the arithmetic itself
    shown = _code_shown(bank.get("attention-qkv"))
    assert "def _attention_weights(q, k, mask):" in shown


def test_a_helper_two_linked_functions_share_is_shown_once():
    item = replace(load_bank().get("batchnorm-backward"), code=("convolution.max_pool2d", "convolution.avg_pool2d"))
    shown = _code_shown(item)
    assert shown.count("def _pool_windows(") == 1 and shown.count("def _windows(") == 1
    assert shown.index("def max_pool2d(") < shown.index("def _pool_windows(") < shown.index("def avg_pool2d(")


def test_the_anki_code_field_carries_the_helpers_too():
    from dlquiz.export.anki_notes import note_fields

    code = note_fields(load_bank().get("batchnorm-backward")).code
    assert "def _normalize_backward(dout, cache):" in code and code.count("def _normalize_backward(") == 1


def test_a_bank_naming_a_demo_where_it_was_before_its_module_was_split_still_loads(tmp_path):
    from bankfiles import item_yaml, write

    write(tmp_path / "mine", "mine.yaml", item_yaml(demo="optimizers.bias_correction"))
    bank = load_bank(tmp_path / "mine")
    assert bank.get("my-item").demo == "adaptive.bias_correction"
    for old, new in links.MOVED["demo"].items():
        assert links.problem("demo", old) is not None  # the old place registers nothing now ...
        assert links.problem("demo", new) is None  # ... and the new one does
