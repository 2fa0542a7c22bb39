"""The inverted index of story tokens: which stories of the window hold a token."""

from __future__ import annotations

from collections.abc import Collection

# A token held by more stories than this keeps only its count: it is too common to find
# candidates by (StoryIndex visits rare tokens first, within a budget), and its id set would
# be most of the index's memory. It stays counted only until no story holds it.
COMMON = 500


class _Common:
    """The story count of a token held by more than COMMON stories (ids no longer kept)."""

    __slots__ = ("count",)

    def __init__(self, count: int) -> None:
        self.count = count


class Postings:
    """token -> ids of the stories holding it (for tokens held by at most COMMON stories).

    Most tokens of a window (names, numbers, codes) are held by one story, so such a token
    maps to the bare id instead of a one-element set: a set costs 200 bytes, the id nothing.
    """

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held: dict[str, int | set[int] | _Common] = {}

    def __contains__(self, token: str) -> bool:
        return token in self._held

    def add(self, token: str, story: int) -> None:
        """Record that `story` holds `token` (call once per story and token)."""
        held = self._held.get(token)
        if held is None:
            self._held[token] = story
        elif isinstance(held, int):
            if held != story:
                self._held[token] = {held, story}
        elif isinstance(held, set):
            held.add(story)
            if len(held) > COMMON:
                self._held[token] = _Common(len(held))
        else:
            held.count += 1

    def discard(self, token: str, story: int) -> None:
        """Forget that `story` holds `token` (only for a story that `add`ed it)."""
        held = self._held.get(token)
        if held is None:
            return
        if isinstance(held, int):
            if held == story:
                del self._held[token]
        elif isinstance(held, set):
            held.discard(story)
            if len(held) == 1:
                self._held[token] = next(iter(held))
        else:
            held.count -= 1
            if not held.count:
                del self._held[token]

    def count(self, token: str) -> int:
        """How many stories hold `token`."""
        held = self._held.get(token)
        if held is None:
            return 0
        if isinstance(held, int):
            return 1
        return len(held) if isinstance(held, set) else held.count

    def holders(self, token: str) -> Collection[int] | None:
        """The stories holding `token`; None for a token too common to keep them."""
        held = self._held.get(token)
        if held is None:
            return ()
        if isinstance(held, int):
            return (held,)
        return held if isinstance(held, set) else None
