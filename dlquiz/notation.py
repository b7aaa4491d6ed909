"""Integers as Unicode sub- and superscripts, for indices and powers computed at run time (x₅₀, 0.9¹⁰⁰)."""

from __future__ import annotations

_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def sub(n: int) -> str:
    """``n`` as a subscript: sub(50) == '₅₀'."""
    return str(n).translate(_SUB)


def sup(n: int) -> str:
    """``n`` as a superscript: sup(-12) == '⁻¹²'."""
    return str(n).translate(_SUP)
