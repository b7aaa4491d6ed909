"""Existing users are fixed too: the migration that replays every card's log under the corrected rules.

An old state file is written here the way dlquiz wrote it before (py-fsrs given the exact instants, so
elapsed time counted in whole 24-hour periods, and dues N × 24 h after the answer), at the schema
version before the rebuild step; opening it must give every card the memory state a clean py-fsrs fed
study days gives (tests/fsrs_oracle.py), keep undo exact, and change nothing if the rebuild is interrupted.
"""

import random
import sqlite3
from datetime import datetime, timezone

import pytest
from fsrs_oracle import oracle_memory
from localtime import local_ms

from dlquiz.model import NEW_CARD, REVIEW, CardState, Rating, kind_number
from dlquiz.paths import state_path
from dlquiz.scheduler import Settings, commit, preview, study_day, study_day_start_ms
from dlquiz.store import MIGRATIONS, migrate, open_store
from dlquiz.store.rebuild import rebuild_memory_states

ZONE = "America/New_York"


def rebuild_step() -> int:
    """The schema version just before the rebuild step (the steps may be renumbered when branches merge)."""
    return next(i for i, step in enumerate(MIGRATIONS) if "rebuilt from its log" in (step.__doc__ or ""))


def histories(seed=5, cards=12):
    """Each card's answers (rating, shown instant) on drifting hours over five weeks around the autumn change."""
    rng = random.Random(seed)
    result = {}
    for i in range(cards):
        at = local_ms(2026, 10, 10 + rng.randint(0, 4), rng.choice([7, 9, 20, 23]), rng.randint(0, 59))
        answers = []
        for _ in range(rng.randint(3, 12)):
            answers.append((rng.choices(list(Rating), weights=[15, 10, 65, 10])[0], at))
            at += rng.choice([1, 10, 60 * 10, 60 * 20, 60 * 30, 60 * 47]) * 60_000  # minutes to two days
        result[f"card-{i}"] = answers
    return result


def write_old_file(answers_by_card, undone_in=None, bad_rating_in=None) -> None:
    """The state file as the old rules left it, at the schema version before the rebuild."""
    from fsrs import Card, Scheduler
    from fsrs import Rating as FsrsRating

    scheduler = Scheduler(enable_fuzzing=False)
    db = sqlite3.connect(state_path(), isolation_level=None)
    migrate(db, target=rebuild_step())
    for qid, answers in answers_by_card.items():
        card, before = Card(card_id=1), NEW_CARD
        for n, (rating, shown) in enumerate(answers):
            moment = datetime.fromtimestamp(shown / 1000, timezone.utc)
            card, _ = scheduler.review_card(card, FsrsRating(rating), review_datetime=moment)
            lapsed = before.state == REVIEW and not before.new and rating == Rating.AGAIN
            after = CardState(
                False,
                int(card.state),
                card.step,
                card.stability,
                card.difficulty,
                round(card.due.timestamp() * 1000),
                shown,
                before.reps + 1,
                before.lapses + lapsed,
            )
            logged = 7 if (qid == bad_rating_in and n == 1) else rating
            db.execute(
                "INSERT INTO reviews (question_id, rating, mode, answered_at_ms, duration_ms, before, after, "
                "before_kind) VALUES (?, ?, 'review', ?, 2500, ?, ?, ?)",
                (qid, logged, shown + 2500, before.to_json(), after.to_json(), kind_number(before)),
            )
            if qid == undone_in and n == 1:  # an answer given and undone: its row stays, marked undone
                db.execute(
                    "INSERT INTO reviews (question_id, rating, mode, answered_at_ms, duration_ms, before, after, "
                    "before_kind, undone) VALUES (?, 1, 'review', ?, 1000, ?, ?, ?, 1)",
                    (qid, shown + 9000, after.to_json(), NEW_CARD.to_json(), kind_number(after)),
                )
            before = after
        db.execute(
            "INSERT INTO cards VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                qid,
                before.state,
                before.step,
                before.stability,
                before.difficulty,
                before.due_ms,
                before.last_review_ms,
                before.reps,
                before.lapses,
                len(answers),
            ),
        )
    db.close()


def dump() -> tuple:
    db = sqlite3.connect(f"{state_path().as_uri()}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0], list(db.iterdump())
    finally:
        db.close()


def memory(state):
    return (state.state, state.step, state.stability, state.difficulty)


def test_an_old_rule_file_is_rebuilt_to_what_py_fsrs_gives_with_study_days(new_york):
    answers = histories()
    write_old_file(answers, undone_in="card-3")
    old_cards = {qid: row for qid, *row in sqlite3.connect(state_path()).execute("SELECT * FROM cards")}
    with open_store() as store:
        changed = 0
        for qid, answered in answers.items():
            log = store.reviews(qid)
            expected = oracle_memory(answered, ZONE)
            assert [memory(r.after) for r in log] == expected, qid  # bit for bit
            assert log[0].before == NEW_CARD
            assert all(earlier.after == later.before for earlier, later in zip(log[:-1], log[1:], strict=True))
            assert [r.after.last_review_ms for r in log] == [shown for _, shown in answered]  # instants kept
            card = store.card(qid)
            assert card.state == log[-1].after
            if card.state.state == REVIEW:  # due from the start of a study day
                assert card.state.due_ms == study_day_start_ms(study_day(card.state.due_ms, 4), 4)
            changed += card.version != old_cards[qid][-1]
        undone = store.reviews("card-3", include_undone=True)[2]
        assert undone.undone and undone.after == NEW_CARD  # left as it was
    assert changed >= len(answers) // 2  # the old rules had given most cards another state


def test_undo_after_the_rebuild_restores_exactly_and_the_same_answer_gives_the_same_state(new_york):
    answers = histories(seed=8, cards=4)
    write_old_file(answers)
    with open_store() as store:
        for qid, answered in answers.items():
            last = store.reviews(qid)[-1]
            restored = store.undo(last.id)
            assert restored.state == last.before
            rating, shown_at = answered[-1]
            again = preview(restored, Settings(), shown_at)
            commit(store, again, rating, "review", shown_at + 2500)
            assert store.card(qid).state == last.after


def test_an_interrupted_rebuild_leaves_the_file_unchanged(new_york, monkeypatch):
    write_old_file(histories(seed=9, cards=6))
    before = dump()
    calls = []

    def failing(*args, **options):
        calls.append(args)
        if len(calls) == 4:
            raise KeyboardInterrupt  # Ctrl-C in the middle: three cards already rewritten
        return real(*args, **options)

    import dlquiz.store.rebuild

    real = dlquiz.store.rebuild.replay
    monkeypatch.setattr(dlquiz.store.rebuild, "replay", failing)
    with pytest.raises(KeyboardInterrupt):
        open_store()
    assert dump() == before and before[0] == rebuild_step()
    monkeypatch.setattr(dlquiz.store.rebuild, "replay", real)
    with open_store():
        pass
    assert dump()[0] > rebuild_step()


def test_the_rebuild_is_idempotent(new_york):
    answers = histories(seed=3, cards=5)
    write_old_file(answers)
    with open_store() as store:
        once = dump()[1]
        store.db.execute("BEGIN IMMEDIATE")
        assert rebuild_memory_states(store.db) == 0  # a second run finds nothing to change
        store.db.execute("COMMIT")
    assert dump()[1] == once


def test_a_log_with_an_impossible_rating_is_refused_before_any_rebuild(new_york):
    """A rating outside 1–4 is damage: the file is refused whole, its bytes untouched, and never rebuilt."""
    from dlquiz.store import DamagedStateError

    write_old_file(histories(seed=3, cards=5), bad_rating_in="card-2")
    before = state_path().read_bytes()
    with pytest.raises(DamagedStateError, match="rating = 7"):
        open_store()
    assert state_path().read_bytes() == before
