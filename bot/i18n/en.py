"""English messages. Keys are shared with `de.py`; placeholders use str.format names."""

MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

MESSAGES: dict[str, str] = {
    "alert.source": "Source: {source}",
    "alert.source_dated": "Source: {source}, {published}",
    "alert.matched": "Matched: {words}",
}
