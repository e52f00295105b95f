"""How the app looks and reads: Dutch (Belgian) locale, calm teal colours, no text under
14 px, 48 px touch targets on every device (compact density would shrink them on tablets and
laptops to 32–40 px)."""

from __future__ import annotations

import flet as ft

SEED = ft.Colors.TEAL
LOCALE = ft.Locale("nl", "BE")
SMALLEST_TEXT = 14  # px at the default text size: captions, helper texts, the bottom bar


def _text() -> ft.TextTheme:
    """Flutter's small styles (11–12 px) raised to the floor; the larger ones stay."""
    floor = ft.TextStyle(size=SMALLEST_TEXT)
    return ft.TextTheme(body_small=floor, label_medium=floor, label_small=floor)


def _tall(horizontal: float) -> ft.ButtonStyle:
    """Buttons 48 px high: 20 px of text and 14 px above and below (Flutter's own: 40)."""
    return ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=horizontal, vertical=14))


def _quick() -> ft.PageTransitionsTheme:
    """A plain, immediate change of screen: calmer than a slide, and no waiting on a busy
    street. (Made when asked: Flet's theme classes take a while to load, better not before
    the web server answers.)"""
    none = ft.PageTransitionTheme.NONE
    return ft.PageTransitionsTheme(android=none, ios=none, linux=none, macos=none, windows=none)


def theme() -> ft.Theme:
    return ft.Theme(
        color_scheme_seed=SEED,
        page_transitions=_quick(),
        visual_density=ft.VisualDensity.STANDARD,
        text_theme=_text(),
        filled_button_theme=ft.FilledButtonTheme(style=_tall(24)),
        outlined_button_theme=ft.OutlinedButtonTheme(style=_tall(24)),
        text_button_theme=ft.TextButtonTheme(style=_tall(12)),
        segmented_button_theme=ft.SegmentedButtonTheme(style=_tall(12)),
        icon_button_theme=ft.IconButtonTheme(style=ft.ButtonStyle(padding=12)),  # 24 + 2 x 12
        chip_theme=ft.ChipTheme(padding=ft.Padding.symmetric(horizontal=8, vertical=13)),
        switch_theme=ft.SwitchTheme(padding=ft.Padding.symmetric(horizontal=4, vertical=4)),
    )


def apply(page: ft.Page) -> None:
    """Locale (screen readers speak Dutch; Flutter's own texts are Dutch) and themes."""
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[LOCALE], current_locale=LOCALE
    )
    page.theme_mode = ft.ThemeMode.SYSTEM
    page.theme = theme()
    page.dark_theme = theme()
