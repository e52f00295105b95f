"""Bad input said on the field it is about: next to what was typed (which stays), read with
the field by a screen reader, and not said again in a bar."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.core.errors import DichtbijError
from app.messages import describe


class SaidOnField(Exception):
    """The action stops; its reason is shown on the field already (`Ui.handler` adds no toast)."""


def say_on(field: ft.TextField, error: DichtbijError) -> SaidOnField:
    """Put the error's sentence on `field`, wrapped whole; raise what this returns."""
    field.error = describe(error)
    field.error_max_lines = 4
    return SaidOnField(type(error).__name__)


def clear_on_typing(field: ft.TextField) -> None:
    """Drop the field's error as soon as it is typed in again (before any other handler)."""
    before: Any = field.on_change

    async def changed(e: Any) -> None:
        if field.error:
            field.error = None
            field.update()
        if before is not None:
            result = before(e)
            if hasattr(result, "__await__"):
                await result

    field.on_change = changed
