"""Rules for free text typed by a worker, and for showing stored text on a terminal."""

from __future__ import annotations

import unicodedata
from typing import Any

from app.core.errors import InvalidInput

MAX_TEXT = 20_000
MAX_NAME = 200

# Characters that reorder what a terminal or screen shows (Trojan Source, CVE-2021-42574):
# the bidi embeddings, overrides and isolates, and the invisible direction marks.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)


def clean_text(value: str | None, field: str, *, required: bool, limit: int = MAX_TEXT) -> str:
    """Trimmed text; empty only where allowed; bounded so one note cannot fill a phone."""
    text = (value or "").strip()
    check_unicode(text, field)
    if required and not text:
        raise InvalidInput(field, "empty")
    if len(text) > limit:
        raise InvalidInput(field, "too_long", limit=limit)
    if "\x00" in text:
        raise InvalidInput(field, "bad_characters")
    return text


def clean_name(value: str | None, field: str, *, required: bool, limit: int = MAX_NAME) -> str:
    """A name: clean text on one line, with no control or bidi characters (which could hide
    or reorder what a list shows)."""
    text = clean_text(value, field, required=required, limit=limit)
    if any(_is_control(c) for c in text):
        raise InvalidInput(field, "control_characters")
    return text


def check_unicode(value: Any, field: str) -> None:
    """Refuse text that is not valid Unicode: a lone surrogate, which is what invalid UTF-8
    bytes on a command line become. Strings inside lists and dicts are checked too."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(field, "not_unicode") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            check_unicode(key, field)
            check_unicode(item, field)
    elif isinstance(value, list | tuple):
        for item in value:
            check_unicode(item, field)


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control, bidi and lone surrogate characters are
    shown as escapes (`\\x1b`, `\\u202e`), so stored text can never drive the terminal."""
    if text.isprintable() and not any(c in BIDI_CONTROLS for c in text):
        return text
    return "".join(_escape(c) if _is_control(c) or _is_surrogate(c) else c for c in text)


def _is_control(c: str) -> bool:
    return unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS


def _is_surrogate(c: str) -> bool:
    return "\ud800" <= c <= "\udfff"


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
