"""The study sessions as engine-side activities: plain Python that reads inputs and returns views.

Every session (``review``, ``quiz``, ``exercise``, ``mock``, and the step-by-step derivation of
``show --steps``) is an :class:`~dlquiz.activities.vocabulary.Activity`:

- ``view()`` says what is on screen now (a frozen dataclass from :mod:`.views`), or None when it is over;
- ``handle(action)`` takes one input from the small vocabulary of :mod:`.vocabulary` (``Grade``,
  ``Reveal``, ``Pick``, ``Answer``, ``Hint``, ``Skip``, ``Undo``, ``Quit``, ``Show``, ``Suspend``, ``Bury``,
  ...) and returns what happened as events (``Saved``, ``Refused``, ``Undone``, ``Marked``, ...);
- ``finish()`` ends it (a mock interview writes its transcript) and returns its summary.

Nothing here prints or imports rich or typer: :mod:`dlquiz.ui.driver` is the one loop that shows the
views, reads keys through one key map and handles the end of input, Ctrl-C and termination signals
for all of them. Tests drive activities by plain calls: ``activity.handle(Grade(Rating.GOOD))``.

Modules: :mod:`.vocabulary` (inputs, events, summaries), :mod:`.views`, :mod:`.desk` (answering a card:
saving, undo, suspend, bury, leeches, which answers count), :mod:`.steps` (one card in one form),
:mod:`.cards` (the session over a queue of cards), :mod:`.queue` (what a review shows next, in Anki's order;
which cards are hidden; when each is due), :mod:`.review`, :mod:`.quiz` (quizzes and exercises), :mod:`.mock`
with :mod:`.interview` (a mock interview's questions, self-scores and transcript), :mod:`.compare` (a typed
attempt beside the key points), :mod:`.summaries`.
"""
