"""Rules for free text typed by a worker."""

from __future__ import annotations

from app.core.errors import InvalidInput

MAX_TEXT = 20_000
MAX_NAME = 200


def clean_text(value: str | None, field: str, *, required: bool, limit: int = MAX_TEXT) -> str:
    """Trimmed text; empty only where allowed; bounded so one note cannot fill a phone."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(field, "empty")
    if len(text) > limit:
        raise InvalidInput(field, "too_long", limit=limit)
    if "\x00" in text:
        raise InvalidInput(field, "bad_characters")
    return text
