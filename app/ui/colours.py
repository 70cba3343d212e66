"""Colours the palette has no role for, chosen by the colour scheme in use so they stay
readable in light and dark (app/ui/theme.py switches the scheme). QtGui only: the models
import this before the window paints."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

LIGHT_NEGATIVE = QColor(180, 0, 0)
DARK_NEGATIVE = QColor(255, 128, 128)
LIGHT_ERROR = QColor(180, 0, 0)
DARK_ERROR = QColor(255, 140, 140)


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def negative_colour() -> QColor:
    """Negative amounts: dark red on a light base, light red on a dark one."""
    return DARK_NEGATIVE if is_dark() else LIGHT_NEGATIVE


def error_colour() -> QColor:
    return DARK_ERROR if is_dark() else LIGHT_ERROR


def error_style() -> str:
    return f"color: {error_colour().name()}"


__all__ = ["error_colour", "error_style", "is_dark", "negative_colour"]
