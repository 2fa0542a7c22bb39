"""Text folding shared by matching and condensing."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Fold case and accents so that `Škoda` == `skoda` and `Straße` == `strasse`.

    German umlauts fold to their base letter here (`Müller` -> `muller`); the
    `ue` spelling is handled by the matcher, which knows which side is a query.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
