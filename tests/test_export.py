"""Exports other tools read: Markdown, CSV, Anki's note file and an Anki package (.apkg) with history.

The Anki tests import what dlquiz writes into a fresh collection of the real Anki backend (the ``anki``
package, a test-only dependency) and read back decks, note types, fields, cards and the review log.
"""

from __future__ import annotations

import csv
import io
import random
import re

import pytest
from test_bank import item_yaml, write
from typer.testing import CliRunner

from dlquiz.bank import load_bank
from dlquiz.cli import app
from dlquiz.export import to_anki, to_csv, to_markdown
from dlquiz.export.anki_history import (
    ANSWER_CAP_MS,
    REVLOG_LEARN,
    REVLOG_MANUAL,
    REVLOG_RELEARN,
    REVLOG_REVIEW,
    Clock,
    revlog_interval,
    revlog_kind,
    revlog_rows,
)
from dlquiz.export.anki_notes import FIELD_NAMES, field_values, note_fields, one_line, to_anki_text
from dlquiz.model import CardKind, CardState, Rating
from dlquiz.store import Review

DAY_MS = 86_400_000
PRE = re.compile(r"<pre>.*?</pre>", re.DOTALL)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def outside_code(html: str) -> str:
    return PRE.sub("", html)


# --------------------------------------------------------------------------- Markdown and CSV


def test_csv_round_trips_every_item():
    items = list(load_bank())
    rows = list(csv.DictReader(io.StringIO(to_csv(items))))
    assert [row["id"] for row in rows] == [item.id for item in items]
    first = rows[0]
    assert first["answer"] == items[0].answer
    assert first["key_points"].split(" | ") == list(items[0].key_points)


def test_markdown_has_a_section_per_topic_and_every_question():
    items = list(load_bank())
    text = to_markdown(items)
    for topic in {item.topic for item in items}:
        assert f"\n## {topic}\n" in text
    for item in items:
        assert f"### {item.id} ({item.difficulty})" in text


def test_export_command_writes_the_file_atomically(tmp_path):
    target = tmp_path / "sheet.md"
    result = run("export", "--topic", "attention", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# dlquiz question bank")
    assert not list(tmp_path.glob(".*partial"))  # no partial file left behind


def test_export_rejects_bad_combinations_and_unwritable_paths(tmp_path):
    assert run("export", "--format", "pdf").exit_code == 2
    result = run("export", "-o", str(tmp_path / "missing-dir" / "x.md"))
    assert result.exit_code == 2 and "cannot write" in result.stderr
    assert run("export", "--format", "apkg").exit_code == 2  # a binary file needs -o
    assert run("export", "--format", "anki", "--history").exit_code == 2  # only a package carries history
    result = run("export", "--format", "apkg", "-o", str(tmp_path / "missing-dir" / "x.apkg"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


# --------------------------------------------------------------------------- the note file's HTML


def test_source_line_wraps_become_spaces_and_code_keeps_its_lines():
    assert one_line("<p>a\nb</p>\n<ul>\n<li>c</li>\n</ul>\n<pre><code>x\ny\n</code></pre>\n") == (
        "<p>a b</p><ul><li>c</li></ul><pre><code>x<br>y</code></pre>"
    )
    item = load_bank().get("adam-bias-correction")
    fields = note_fields(item)
    prose = " ".join(item.answer.split())
    # the first sentence of the answer arrives whole, with spaces where the YAML wrapped it
    first_sentence = prose.split(". ")[0].replace("`", "")
    assert "\n" not in fields.answer and "<br>" not in outside_code(fields.answer)
    assert first_sentence.split()[-1] in fields.answer
    code = load_bank().get("bug-softmax-overflow")
    question = note_fields(code).question
    assert "<pre>" in question and "<br>" in question.split("<pre>")[1]  # code lines stay lines


def test_no_note_has_a_forced_break_outside_code():
    text = to_anki_text(load_bank())
    notes = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert len(notes) == len(load_bank())
    forced = sum(outside_code(cell).count("<br>") for note in notes for cell in note[1:3])
    assert forced == 0  # the findings counted 843 before (B5)
    assert all("</p><br><p>" not in cell for note in notes for cell in note)


def test_note_file_names_its_note_type_deck_and_columns():
    items = load_bank().filter(topic="optimizers")
    lines = to_anki(items).splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert "#separator:tab" in header and "#html:true" in header
    assert "#notetype:Basic" in header
    assert "#columns:GUID\tFront\tBack\tTags\tDeck" in header
    assert {"#guid column:1", "#tags column:4", "#deck column:5"} <= set(header)
    notes = [line.split("\t") for line in lines if not line.startswith("#")]
    for (guid, front, back, tags, deck), item in zip(notes, items, strict=True):
        assert guid == f"dlquiz-{item.id}" and deck == "dlquiz::optimizers"
        assert front.startswith("<p>") and "\n" not in back
        assert "<li>" in back and "dlquiz::optimizers" in tags.split()


def test_note_back_carries_pitfalls_derivation_and_code():
    item = load_bank().get("perceptron-xor-mlp")
    assert item.derivation and item.pitfalls and item.code
    (note,) = [line for line in to_anki_text([item]).splitlines() if not line.startswith("#")]
    back = note.split("\t")[2]
    for title in ("Key points", "Pitfalls", "Derivation", "Reference code"):
        assert f"<b>{title}</b>" in back
    assert "<pre><code" in back and "def " in back
    first_step = re.sub(r"[`*]", "", item.derivation[0].step).split()[0]
    assert first_step in back


def test_bank_text_is_escaped_not_parsed_as_html():
    from dlquiz.export.anki_notes import block_html

    assert block_html("if a<b and <div> x") == "<p>if a&lt;b and &lt;div&gt; x</p>"


# --------------------------------------------------------------------------- the scheduling conversion


def test_revlog_kind_comes_from_the_state_before_the_answer():
    new = CardState()
    learning = CardState(new=False, state=CardKind.LEARNING, step=1, due_ms=1, last_review_ms=0)
    review = CardState(new=False, state=CardKind.REVIEW, step=None, due_ms=1, last_review_ms=0)
    relearning = CardState(new=False, state=CardKind.RELEARNING, step=0, due_ms=1, last_review_ms=0)
    assert [revlog_kind(c) for c in (new, learning, review, relearning)] == [
        REVLOG_LEARN,
        REVLOG_LEARN,
        REVLOG_REVIEW,
        REVLOG_RELEARN,
    ]


def test_intervals_are_study_days_for_reviews_and_negative_seconds_for_steps(new_york):
    from dlquiz.scheduler import day_start_ms

    answered = 1_798_290_780_000  # Sat 2026-12-26 08:13 New York
    clock = Clock(day_start_ms(answered, 4), 4)
    learning = CardState(new=False, state=CardKind.LEARNING, step=1, due_ms=answered + 600_000)
    assert revlog_interval(learning, answered, clock) == -600
    # due at 05:00 three mornings later: three study days, though only 2 days 21 h pass
    due = day_start_ms(answered, 4) + 3 * DAY_MS + 3_600_000
    review = CardState(new=False, state=CardKind.REVIEW, step=None, due_ms=due, last_review_ms=answered)
    assert revlog_interval(review, answered, clock) == 3
    assert revlog_interval(CardState(), None, clock) == 0


def test_study_days_count_rollovers_across_a_daylight_saving_change(new_york):
    from dlquiz.scheduler import day_start_ms

    before = 1_793_443_200_000  # Sat 2026-10-31 06:40 New York (clocks go back on 1 Nov)
    clock = Clock(day_start_ms(before, 4), 4)
    assert clock.study_day(before + 2 * DAY_MS) == 2  # 48 h later is two study days on, not one or three
    assert clock.study_day(before - DAY_MS) == -1


def test_revlog_rows_skip_undone_answers_cap_the_time_and_keep_ids_distinct():
    clock = Clock(0, 4)
    after = CardState(new=False, state=CardKind.LEARNING, step=1, difficulty=5.5, due_ms=10_600_000)

    def review(rid, at, undone=False, duration=4000):
        return Review(rid, "q", Rating.GOOD, "review", at, duration, CardState(), after, undone)

    rows = revlog_rows([review(1, 10_000_000), review(2, 10_000_000, duration=10**7), review(3, 9, True)], clock)
    assert [row.id for row in rows] == [10_000_000, 10_000_001]
    assert [row.time for row in rows] == [4000, ANSWER_CAP_MS]
    assert rows[0].factor == round(((5.5 - 1) / 9 + 0.1) * 1000) and rows[0].ease == 3


def test_a_forget_becomes_the_manual_revlog_row_anki_s_forget_writes():
    """Anki 26.9's own Forget (schedule_cards_as_new) logs ease 0, ivl 0, lastIvl = the interval before,
    factor 0, time 0, type 4 (Manual); a forget here is exported the same way, in time order."""
    clock = Clock(0, 4)
    reviewed = CardState(
        new=False, state=CardKind.REVIEW, stability=5.0, difficulty=5.0, due_ms=5 * DAY_MS + 1, last_review_ms=0
    )
    answer = Review(7, "q", Rating.EASY, "review", 1000, 2000, CardState(), reviewed, False)
    later = Review(9, "q", Rating.GOOD, "review", 3 * DAY_MS, 2000, CardState(), reviewed, False)
    rows = revlog_rows([later, answer], clock, [("q", 2 * DAY_MS, 7)])
    expected = [(1000, REVLOG_LEARN, 4), (2 * DAY_MS, REVLOG_MANUAL, 0), (3 * DAY_MS, REVLOG_LEARN, 3)]
    assert [(r.id, r.type, r.ease) for r in rows] == expected  # in time order
    manual = rows[1]
    assert (manual.ivl, manual.factor, manual.time) == (0, 0, 0)
    assert manual.last_ivl == rows[0].ivl == 5  # the interval the card had when it was forgotten


# --------------------------------------------------------------------------- into a real Anki collection


@pytest.fixture
def collection(tmp_path):
    """A fresh Anki collection (the real backend); skipped, with the reason shown, without ``anki``."""
    pytest.importorskip("anki.collection", reason="the Anki import tests need the 'anki' package (pip install anki)")
    from anki.collection import Collection

    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_package(col, path, with_scheduling: bool = False):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(with_scheduling=with_scheduling)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log


def import_text(col, path):
    from anki.collection import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def notes_by_guid(col) -> dict:
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


def test_note_file_lands_in_topic_decks_as_basic_notes_whatever_was_current(collection, tmp_path):
    col = collection
    cloze = col.models.by_name("Cloze")
    col.set_config("curModel", cloze["id"])  # the user last added Cloze notes to a deck of their own
    col.decks.select(col.decks.id("My Spanish"))
    path = tmp_path / "dl.txt"
    assert run("export", "--format", "anki", "-o", str(path)).exit_code == 0
    log = import_text(col, path)
    bank = load_bank()
    assert len(log.new) == len(bank) and col.card_count() == len(bank)  # one card each, not 200
    notes = notes_by_guid(col)
    for item in bank:
        note = notes[f"dlquiz-{item.id}"]
        assert note.note_type()["name"] == "Basic"
        card = note.cards()[0]
        assert col.decks.name(card.did) == f"dlquiz::{item.topic}"
        assert "<br>" not in outside_code(note["Front"] + note["Back"])
    assert not col.find_cards('"deck:My Spanish"')


def test_apkg_imports_every_item_and_field_into_topic_decks(collection, tmp_path):
    col = collection
    path = tmp_path / "dl.apkg"
    result = run("export", "--format", "apkg", "-o", str(path))
    assert result.exit_code == 0, result.output
    log = import_package(col, path)
    bank = load_bank()
    assert len(log.new) == len(bank)
    decks = {d.name for d in col.decks.all_names_and_ids()}
    topic_decks = {f"dlquiz::{topic}" for topic in bank.topics()}
    assert len(topic_decks) >= 14 and topic_decks <= decks
    notes = notes_by_guid(col)
    for item in bank:
        note = notes[f"dlquiz-{item.id}"]
        assert note.note_type()["name"] == "dlquiz"
        assert [note[name] for name in FIELD_NAMES] == field_values(note_fields(item))
        assert set(note.tags) >= {"dlquiz", f"dlquiz::{item.topic}", *item.tags}
        assert col.decks.name(note.cards()[0].did) == f"dlquiz::{item.topic}"
    card = notes["dlquiz-adam-bias-correction"].cards()[0]
    back = card.answer()
    assert "Key points" in back and "<details><summary>Derivation" in back and "<pre><code" in back


def test_reimporting_an_edited_bank_updates_notes_never_duplicates(collection, tmp_path):
    col = collection
    bank_dir = tmp_path / "bank"
    write(bank_dir, "mine.yaml", item_yaml("first-item") + item_yaml("second-item"))
    first = tmp_path / "v1.apkg"
    assert run("--bank", str(bank_dir), "export", "-f", "apkg", "-t", "mine", "-o", str(first)).exit_code == 0
    assert len(import_package(col, first).new) == 2
    edited = item_yaml("first-item", answer="|\n    An edited answer that the reader must now see.")
    write(bank_dir, "mine.yaml", edited + item_yaml("second-item"))
    from dlquiz.export.anki_package import write_package

    second = tmp_path / "v2.apkg"
    items = load_bank(bank_dir).filter(topic="mine")
    write_package(items, second, now_ms=int(__import__("time").time() * 1000) + 5000)  # a later export
    log = import_package(col, second)
    assert len(log.new) == 0 and len(log.updated) >= 1
    assert col.note_count() == 2
    assert "An edited answer" in notes_by_guid(col)["dlquiz-first-item"]["Answer"]
    text = tmp_path / "v2.txt"
    text.write_text(to_anki_text(items), encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    from anki.collection import Collection

    plain = Collection(str(other / "c.anki2"))
    try:
        assert len(import_text(plain, text).new) == 2
        assert len(import_text(plain, text).new) == 0 and plain.note_count() == 2  # again: updated, not added
    finally:
        plain.close()


def _study(items, days: int, seed: int = 7):
    """Answer ``items`` day by day for ``days`` days up to now, as a learner would; returns the store path."""
    from dlquiz import scheduler
    from dlquiz.store import open_store

    rng = random.Random(seed)
    now = scheduler.now_ms()
    with open_store() as store:
        settings = scheduler.load_settings(store.settings())
        for day in range(days, 0, -1):
            t = scheduler.day_start_ms(now - day * DAY_MS, 4) + 9 * 3_600_000 + rng.randint(0, 3_600_000)
            for item in items:
                for _ in range(3):  # a learning card comes back within the session
                    card = store.card(item.id)
                    if not card.state.new and not scheduler.is_due(card.state, t, 4):
                        break
                    shown = scheduler.preview(card, settings, t)
                    rating = rng.choice([Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.EASY])
                    review_id = scheduler.commit(store, shown, rating, "review", t + 6000)
                    t += 11 * 60_000
        store.undo(review_id)  # the last answer was taken back: it must not reach Anki
        return {qid: stored.state for qid, stored in store.cards().items()}, store.reviews()


def test_history_moves_every_answer_and_memory_state_into_anki(collection, tmp_path):
    col = collection
    from dlquiz import scheduler
    from dlquiz.export.anki_history import Clock

    items = load_bank().filter(topic="optimizers")[:12]
    cards, reviews = _study(items, days=30)
    path = tmp_path / "history.apkg"
    result = run("export", "--format", "apkg", "--history", "-t", "optimizers", "-o", str(path))
    assert result.exit_code == 0, result.output
    import_package(col, path, with_scheduling=True)

    logged = sorted((r.answered_at_ms, r.rating) for r in reviews if not r.undone)
    revlog = sorted(tuple(row) for row in col.db.all("SELECT id, ease FROM revlog"))
    assert len(revlog) == len(logged)
    assert [ease for _, ease in revlog] == [rating for _, rating in logged]
    assert all(abs(a - b) <= 2 for (a, _), (b, _) in zip(revlog, logged, strict=True))  # ids may step by 1 ms

    clock = Clock(scheduler.day_start_ms(scheduler.now_ms(), 4), 4)
    notes = notes_by_guid(col)
    reviewed = 0
    for item in items:
        card = notes[f"dlquiz-{item.id}"].cards()[0]
        state = cards.get(item.id)
        if state is None or state.new:
            assert card.type == 0
            continue
        reviewed += 1
        assert card.memory_state is not None
        assert card.memory_state.stability == pytest.approx(state.stability, rel=1e-4)
        assert card.memory_state.difficulty == pytest.approx(state.difficulty, abs=1e-3)
        assert card.reps == state.reps and card.lapses == state.lapses
        if state.state == CardKind.REVIEW:
            assert (card.type, card.queue) == (2, 2)
            assert card.due - col.sched.today == clock.study_day(state.due_ms)  # the same day, Anki's count
        else:
            assert card.queue == 1 and card.due == state.due_ms // 1000
            assert card.type == (3 if state.state == CardKind.RELEARNING else 1)
    assert reviewed == len(items) and sum(c.state == CardKind.REVIEW for c in cards.values()) >= len(items) // 2


def test_a_forgotten_card_reaches_anki_new_with_its_answers_and_the_manual_row(collection, tmp_path):
    from dlquiz.store import open_store

    items = load_bank().filter(topic="optimizers")[:2]
    _study(items, days=10)
    with open_store() as store:
        assert store.forget([items[0].id], store.reviews()[-1].answered_at_ms + 1000) == [items[0].id]
        answers = len([r for r in store.reviews() if r.question_id == items[0].id])
    path = tmp_path / "forgot.apkg"
    assert run("export", "--format", "apkg", "--history", "-t", "optimizers", "-o", str(path)).exit_code == 0
    import_package(collection, path, with_scheduling=True)
    notes = notes_by_guid(collection)
    forgotten, studied = (notes[f"dlquiz-{item.id}"].cards()[0] for item in items)
    assert (forgotten.type, forgotten.queue) == (0, 0) and studied.type != 0
    log = collection.db.all(f"SELECT ease, ivl, type FROM revlog WHERE cid = {forgotten.id} ORDER BY id")
    assert len(log) == answers + 1 and log[-1] == [0, 0, 4]  # every answer, then the Forget


def test_history_without_a_state_file_exports_new_cards(collection, tmp_path):
    path = tmp_path / "none.apkg"
    result = run("export", "--format", "apkg", "--history", "-t", "attention", "-o", str(path))
    assert result.exit_code == 0 and "No answers saved yet" in result.stderr
    import_package(collection, path, with_scheduling=True)
    assert collection.db.scalar("SELECT count() FROM revlog") == 0
    assert collection.db.scalar("SELECT count() FROM cards WHERE type != 0") == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "pdf"], "error: --format must be one of markdown, csv, anki, apkg, not 'pdf'"),
        (["--format", "apkg"], "error: -o FILE is needed with --format apkg"),
        (["--format", "anki", "--history"], "error: --history goes with --format apkg"),
    ],
)
def test_export_s_own_checks_say_one_line_as_the_other_commands_do(args, says):
    """Bug 13: 'Error: …' under a usage block here, 'error: …' on one line elsewhere (mock's -o, quiz's --mode)."""
    result = run("export", *args)
    assert result.exit_code == 2 and result.stderr.startswith(says) and result.stderr.count("\n") == 1
    assert "Usage:" not in result.stderr
    mock = run("mock", "-o", "/nonexistent-dir/interview.md")
    assert mock.exit_code == 2 and mock.stderr.startswith("error: -o: the directory '/nonexistent-dir' does not exist")
