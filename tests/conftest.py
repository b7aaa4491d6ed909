"""Every test runs with its own dlquiz home, so no test ever touches a real user's state."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "dlquiz-home"
    home.mkdir()
    monkeypatch.setenv("DLQUIZ_HOME", str(home))
    monkeypatch.delenv("DLQUIZ_BANK", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    return home


@pytest.fixture
def new_york(monkeypatch):
    """Local time is New York's (daylight saving: 8 Mar and 1 Nov 2026) for the test's duration."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def local_zone(monkeypatch):
    """Call it with a zone name ('Europe/London') to make that the local time for the test's duration."""
    import time

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store():
    """The state file of the test's own home, open."""
    from dlquiz.store import open_store

    with open_store() as opened:
        yield opened
