"""A card state for tests that need one (shared by the reliability tests)."""

from damage import answered

__all__ = ["answered"]
