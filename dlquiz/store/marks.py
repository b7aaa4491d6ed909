"""What keeps a card out of the review queue, apart from its scheduling state and its log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CardMark:
    """What keeps a card out of the review queue: suspended (by hand, or as a leech), or buried until an instant.

    ``leech`` stays set when a leech is unsuspended by hand, as Anki keeps its leech tag.
    """

    suspended: bool = False
    leech: bool = False
    buried_until_ms: int | None = None

    def hidden(self, at_ms: int) -> bool:
        """Out of the queue at ``at_ms``."""
        return self.suspended or (self.buried_until_ms is not None and at_ms < self.buried_until_ms)


NO_MARK = CardMark()
