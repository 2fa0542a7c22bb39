"""Cached machine translations: one per story and language, however many chats read it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.store._base import StoreBase, insert_ignore
from bot.store.records import TranslationRecord
from bot.store.tables import translations


class TranslationsMixin(StoreBase):
    """Methods for the `translations` table."""

    async def get_translation(self, story_id: int, language: str) -> TranslationRecord | None:
        """The stored translation of a story into `language`, if one was made."""
        query = sa.select(
            translations.c.source_language, translations.c.title, translations.c.summary
        ).where(translations.c.story_id == story_id, translations.c.language == language)
        async with self._read() as conn:
            row = (await conn.execute(query)).mappings().first()
        return TranslationRecord(**row) if row is not None else None

    async def put_translation(
        self, story_id: int, language: str, translation: TranslationRecord, *, now: datetime
    ) -> None:
        """Keep a translation; the first one stored for a story and language stays."""
        async with self._write() as conn:
            statement = (
                insert_ignore(conn, translations)
                .values(
                    story_id=story_id,
                    language=language,
                    source_language=translation.source_language,
                    title=translation.title,
                    summary=translation.summary,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["story_id", "language"])
            )
            await conn.execute(statement)
