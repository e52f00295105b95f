"""Escaped HTML by construction: every value put into markup goes through `esc` unless it
is already `Html`, so a login or a code can never inject a tag."""

from __future__ import annotations

import html
from collections.abc import Iterable


class Html(str):
    """Markup that is safe to send as it is."""

    __slots__ = ()


def esc(value: object) -> Html:
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def render(template: str, **values: object) -> Html:
    """`template` with `{name}` fields filled in, each escaped unless it is Html."""
    return Html(template.format(**{name: esc(value) for name, value in values.items()}))


def join(parts: Iterable[Html], separator: str = "\n") -> Html:
    return Html(separator.join(esc(p) for p in parts))
