"""German messages. Keys are shared with `en.py`; placeholders use str.format names."""

MONTHS = (
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
)  # fmt: skip

MESSAGES: dict[str, str] = {
    "alert.source": "Quelle: {source}",
    "alert.source_dated": "Quelle: {source}, {published}",
    "alert.matched": "Treffer: {words}",
}
