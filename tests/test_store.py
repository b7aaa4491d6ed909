"""The state file: migrations, refusing files it cannot read without touching them, transactions."""

import hashlib
import os
import sqlite3

import pytest
from factories import answered

from dlquiz import store as store_mod
from dlquiz.errors import UserError
from dlquiz.model import NEW_CARD
from dlquiz.paths import state_path
from dlquiz.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, StaleCardError, migrate, move_aside, open_store


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tables(path):
    db = sqlite3.connect(path)
    try:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        db.close()


def test_fresh_home_gets_a_state_file_at_latest_schema():
    with open_store() as st:
        assert st.path == state_path()
        assert st.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert st.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert {"cards", "reviews", "settings"} <= tables(state_path())


def test_empty_file_is_migrated():
    state_path().write_bytes(b"")
    with open_store() as st:
        assert st.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert st.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


# the migration that rebuilds every card from its log (its index in MIGRATIONS is the version it starts from)
REBUILD_STEP = next(i for i, step in enumerate(MIGRATIONS) if "rebuilt from its log" in (step.__doc__ or ""))


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_earlier_schema_migrates_and_keeps_its_data(version):
    path = state_path()
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, target=version)
    before = answered(reps=2)
    db.execute("INSERT INTO cards VALUES ('kept', 0, 2, NULL, 3.5, 5.25, 1000000, 500000, 2, 0, 2)")
    db.execute(
        "INSERT INTO reviews (question_id, rating, mode, answered_at_ms, duration_ms, before, after) "
        "VALUES (?, 3, 'review', 500000, 1200, ?, ?)",
        ("kept", NEW_CARD.to_json(), before.to_json()),
    )
    if version >= 3:  # from schema 3 on, dlquiz writes the "before" kind with every answer
        db.execute("UPDATE reviews SET before_kind = 0")
    db.execute("INSERT INTO settings VALUES ('new_per_day', '7')")
    db.close()
    with open_store() as st:
        assert st.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        card = st.card("kept")
        assert [(r.rating, r.answered_at_ms, r.duration_ms) for r in st.reviews("kept")] == [(3, 500000, 1200)]
        if version <= REBUILD_STEP:
            # the card's memory state is rebuilt from its log by the scheduler's current rules (Good on a new
            # card is its second learning step), which gives the card a new version
            assert card.version == 3 and card.state.reps == 1 and card.state.step == 1 and card.state.stability > 0
            assert st.rebuild_card("kept") == card.state
        else:  # written after the rebuild step: the card is kept as it is
            assert card.version == 2 and card.state.stability == 3.5 and card.state.reps == 2
        assert st.settings() == {"new_per_day": "7"}
        assert st.new_cards_since(0) == 1  # the answer's "before" kind (new) was filled in from the log
        assert st.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = {row[0] for row in st.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"cards_due", "reviews_question", "reviews_stats"} <= indexes


def test_migrations_are_one_function_per_step():
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 2
    assert all(callable(step) and step.__doc__ for step in MIGRATIONS)


def refused(path):
    """Opening ``path`` must fail with a message naming it and saying how to move it aside."""
    before = digest(path)
    names = sorted(os.listdir(path.parent))
    with pytest.raises(UserError) as info:
        open_store()
    message = str(info.value)
    assert str(path) in message
    assert "move it aside" in message and "mv " in message
    assert digest(path) == before, "the unreadable file was modified"
    return message, names


def test_text_file_is_refused_and_untouched():
    path = state_path()
    path.write_text("my shopping list\n" * 50)
    message, _ = refused(path)
    assert "not a dlquiz database" in message


def test_other_programs_sqlite_file_is_refused_and_untouched():
    path = state_path()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE photos (name TEXT)")
    db.commit()
    db.close()
    message, _ = refused(path)
    assert "other program" in message


def make_full_state(path, n=300):
    with open_store(path) as st:
        for i in range(n):
            st.commit_answer(f"card-{i}", 0, NEW_CARD, answered(), 3, "review", 1000 + i)
        st.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.mark.parametrize("keep", [50, 4096 + 100, "half"])
def test_truncated_file_is_refused_and_untouched(keep):
    path = state_path()
    make_full_state(path)
    data = path.read_bytes()
    cut = len(data) // 2 if keep == "half" else keep
    path.write_bytes(data[:cut])
    message, _ = refused(path)
    assert "truncated" in message


def test_newer_schema_is_refused_and_untouched():
    path = state_path()
    make_full_state(path, n=3)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    message, _ = refused(path)
    assert "newer dlquiz" in message and str(SCHEMA_VERSION + 5) in message


def test_missing_home_from_env_is_created_with_a_notice(tmp_path, monkeypatch):
    from dlquiz import notices

    home = tmp_path / "new" / "nested" / "home"
    monkeypatch.setenv("DLQUIZ_HOME", str(home))
    notices.take_pending()
    with open_store() as st:
        st.set_setting("new_per_day", "4")
    assert (home / "state.db").is_file()
    said = notices.take_pending()
    assert len(said) == 1 and str(home) in said[0] and "created" in said[0]


def test_missing_home_under_a_file_gives_a_clear_message(tmp_path, monkeypatch):
    (tmp_path / "plain").write_text("x")
    home = tmp_path / "plain" / "home"
    monkeypatch.setenv("DLQUIZ_HOME", str(home))
    with pytest.raises(UserError, match="cannot create") as info:
        open_store()
    assert str(home) in str(info.value)


def test_home_that_is_a_file_gives_a_clear_message(tmp_path, monkeypatch):
    home = tmp_path / "file"
    home.write_text("x")
    monkeypatch.setenv("DLQUIZ_HOME", str(home))
    with pytest.raises(UserError, match="not a directory"):
        open_store()


def test_read_only_home_gives_a_clear_message(tmp_path, monkeypatch):
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(0o555)
    monkeypatch.setenv("DLQUIZ_HOME", str(home))
    real_access = os.access
    if os.geteuid() == 0:  # root ignores permission bits: let the check see the directory as others would
        monkeypatch.setattr(
            store_mod.os, "access", lambda p, mode: False if str(p) == str(home) else real_access(p, mode)
        )
    with pytest.raises(UserError, match="read-only") as info:
        open_store()
    assert str(home) in str(info.value)
    assert list(home.iterdir()) == []


def test_answer_and_stale_refusal():
    with open_store() as a, open_store() as b:
        a.commit_answer("x", 0, NEW_CARD, answered(1), 3, "review", 10)
        with pytest.raises(StaleCardError):
            b.commit_answer("x", 0, NEW_CARD, answered(1, due_ms=5), 1, "review", 11)
        card = b.card("x")
        assert card.version == 1 and card.state == answered(1)
        assert len(b.reviews("x")) == 1


def test_undo_restores_before_state_and_marks_the_log():
    with open_store() as st:
        first = st.commit_answer("x", 0, NEW_CARD, answered(1), 3, "review", 10)
        second = st.commit_answer("x", 1, answered(1), answered(2, due_ms=9_999), 4, "review", 20)
        restored = st.undo(second)
        assert restored.state == answered(1)
        assert [r.id for r in st.reviews("x")] == [first]
        assert [r.undone for r in st.reviews("x", include_undone=True)] == [False, True]
        assert st.rebuild_card("x") == st.card("x").state
        st.undo(first)
        assert st.card("x").state == NEW_CARD
        assert st.rebuild_card("x") == NEW_CARD
        with pytest.raises(StaleCardError):
            st.undo(first)


def test_undo_refused_when_another_session_answered_since():
    with open_store() as a, open_store() as b:
        rid = a.commit_answer("x", 0, NEW_CARD, answered(1), 3, "review", 10)
        b.commit_answer("x", 1, answered(1), answered(2), 3, "review", 20)
        with pytest.raises(StaleCardError):
            a.undo(rid)
        assert a.card("x").state == answered(2)


def test_history_of_removed_ids_is_kept():
    with open_store() as st:
        st.commit_answer("gone-for-now", 0, NEW_CARD, answered(1), 3, "review", 10)
    with open_store() as st:  # a later run, whatever the bank holds: nothing is pruned
        assert st.card("gone-for-now").state == answered(1)
        assert len(st.reviews("gone-for-now")) == 1


def test_new_cards_since_counts_first_answers_only():
    with open_store() as st:
        st.commit_answer("a", 0, NEW_CARD, answered(1), 3, "review", 100)
        st.commit_answer("a", 1, answered(1), answered(2), 3, "review", 200)
        rid = st.commit_answer("b", 0, NEW_CARD, answered(1), 3, "review", 300)
        assert st.new_cards_since(0) == 2
        assert st.new_cards_since(150) == 1
        st.undo(rid)
        assert st.new_cards_since(0) == 1


def test_move_aside_renames_without_reading(tmp_path):
    path = state_path()
    path.write_text("garbage")
    before = digest(path)
    moved = move_aside(stamp="20260101-000000")
    assert not path.exists()
    assert moved.name == "state-20260101-000000.db" and digest(moved) == before
    assert move_aside() is None


def test_many_processes_creating_the_state_at_once_agree():
    import subprocess
    import sys

    code = "from dlquiz.store import open_store\nwith open_store() as s: s.set_setting('new_per_day', '3')"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(6)]
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    db = sqlite3.connect(state_path())
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_file_cut_short_by_an_unfinished_checkpoint_opens_with_every_answer(tmp_path):
    """SQLite copies the log into the file page 1 first, so a process killed during that copy (or one read
    while another process is copying) leaves a file shorter than its header says; the log still holds every
    page, and SQLite recovers from it. Such a file is not truncated."""
    import shutil
    import subprocess
    import sys

    path = state_path()
    code = (
        "import os\nfrom dlquiz.model import NEW_CARD, CardState\nfrom dlquiz.store import open_store\n"
        "s = open_store()\ns.db.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "after = CardState(new=False, state=2, step=None, stability=3.5, difficulty=5.0, due_ms=1, "
        "last_review_ms=1, reps=1)\n"
        "for i in range(300):\n    s.commit_answer(f'card-{i}', 0, NEW_CARD, after, 3, 'review', 1000 + i)\n"
        "os._exit(0)  # killed: the answers are in the log, the file has not been written yet\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    shutil.copy(path.with_name(path.name + "-wal"), tmp_path / "copy.db-wal")
    db = sqlite3.connect(copy)  # a complete checkpoint of the copy gives the page 1 a checkpoint writes first
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    page_size = int.from_bytes(copy.read_bytes()[16:18], "big")
    first_page = copy.read_bytes()[:page_size]
    with open(path, "r+b") as handle:
        handle.write(first_page)
    assert path.stat().st_size < int.from_bytes(first_page[28:32], "big") * page_size  # looks truncated
    with open_store() as reopened:
        assert len(reopened.cards()) == 300 and len(reopened.reviews()) == 300
        assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
