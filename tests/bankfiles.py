"""Writing small bank files for tests: one valid item as YAML text, with any field replaced."""

from __future__ import annotations

from pathlib import Path

ANSWER = " ".join(["A gradient points uphill, so we step against it."] * 5)


def item_yaml(item_id: str = "my-item", topic: str = "mine", **overrides: str) -> str:
    """One valid item as YAML text; keyword arguments replace or add fields (raw YAML values)."""
    fields = {
        "id": item_id,
        "topic": topic,
        "difficulty": "easy",
        "question": "What does gradient descent do?",
        "answer": f"|\n    {ANSWER}",
        "key_points": "\n    - steps against the gradient\n    - the learning rate sets the step",
    }
    fields.update(overrides)
    lines = [f"- {k}: {v}" if i == 0 else f"  {k}: {v}" for i, (k, v) in enumerate(fields.items())]
    return "\n".join(lines) + "\n"


def write(directory: Path, name: str, text: str | bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
