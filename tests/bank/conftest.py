"""Fixtures for the bank's tests: the built-in bank and the text of its items."""

import pytest
from banktext import builtin_bank, item_text


@pytest.fixture(scope="session")
def bank():
    return builtin_bank()


@pytest.fixture(scope="session")
def text():
    """item id -> everything a learner reads of it (see banktext.item_text)."""
    return item_text
