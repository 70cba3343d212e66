"""Light and dark (issue 15, part 6).

``apply(mode)``: "system" follows the platform's colour scheme (Qt 6.5+
``QStyleHints.colorScheme``, and its ``colorSchemeChanged`` while the app runs); "light" and
"dark" ask the platform for that scheme (Qt 6.8+ ``setColorScheme``) and, where the style
does not follow (Fusion, the offscreen and xcb platforms without a desktop theme), set a
Fusion palette of that scheme. View > Theme chooses; the choice is kept in the settings.

Colours the palette has no role for are chosen here by the scheme, so they stay readable:
negative amounts (``negative_colour``) and error text (``error_colour``). Selection uses the
palette's Highlight / HighlightedText, set in both palettes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from app.ui.colours import is_dark

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

THEME_TEXT = {"system": "&System", "light": "&Light", "dark": "&Dark"}

_state: dict[str, object] = {"mode": "system", "forced": False, "style": None}


def dark_palette() -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b", role.WindowText: "#e8e8e8", role.Base: "#1e1e1e",
        role.AlternateBase: "#272727", role.ToolTipBase: "#353535", role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#9a9a9a", role.Text: "#e8e8e8", role.Button: "#353535",
        role.ButtonText: "#e8e8e8", role.BrightText: "#ff6b6b", role.Light: "#505050",
        role.Midlight: "#404040", role.Mid: "#303030", role.Dark: "#1a1a1a",
        role.Shadow: "#000000", role.Highlight: "#3d6fd6", role.HighlightedText: "#ffffff",
        role.Link: "#7fb0ff", role.LinkVisited: "#c09cff",
    }
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#808080"))
    p.setColor(group.Disabled, role.Highlight, QColor("#4a4a4a"))
    return p


def light_palette() -> QPalette:
    app = cast(QApplication, QApplication.instance())
    p = app.style().standardPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2f65ca"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return p


def _wanted_dark(mode: str) -> bool:
    if mode == "dark":
        return True
    if mode == "light":
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply(mode: str) -> None:
    """Show the app in ``mode`` ("system", "light" or "dark")."""
    app = cast(QApplication, QApplication.instance())
    hints = QGuiApplication.styleHints()
    _state["mode"] = mode
    if mode == "system":
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if mode == "dark" else Qt.ColorScheme.Light)
    dark = _wanted_dark(mode)
    if _state["forced"]:  # back to the platform's own style and palette first
        if isinstance(_state["style"], str):
            app.setStyle(_state["style"])
        app.setPalette(QPalette())
        _state["forced"] = False
    if is_dark(app.palette()) == dark:  # the platform's style follows the scheme by itself
        _readable_selection(app)
        return
    if _state["style"] is None:
        _state["style"] = app.style().name()
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())
    _state["forced"] = True


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (4.5 is the minimum for text)."""
    def luminance(colour: QColor) -> float:
        r, g, b_ = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                    for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _readable_selection(app: QApplication) -> None:
    """Selected text must stay readable: a highlight too pale for its text is darkened."""
    palette = app.palette()
    role = QPalette.ColorRole
    if contrast(palette.color(role.HighlightedText), palette.color(role.Highlight)) >= 4.5:
        return
    palette.setColor(role.Highlight, QColor("#3d6fd6" if is_dark(palette) else "#2f65ca"))
    palette.setColor(role.HighlightedText, QColor("#ffffff"))
    app.setPalette(palette)
    _state["forced"] = True


class ThemeMenu(QObject):
    """View > Theme: System, Light, Dark (exclusive), remembered in the settings."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.menu = QMenu("Th&eme", window)
        self.menu.setObjectName("themeMenu")
        group = QActionGroup(self.menu)
        group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        current = window.settings.theme()
        for mode, text in THEME_TEXT.items():
            action = QAction(text, self.menu)
            action.setObjectName(f"actionTheme{mode.capitalize()}")
            action.setCheckable(True)
            action.setChecked(mode == current)
            action.setStatusTip("Follow the system's colour scheme" if mode == "system"
                                else f"Always {mode}")
            action.triggered.connect(lambda _checked=False, m=mode: self.choose(m))
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[mode] = action
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def choose(self, mode: str) -> None:
        self.window.settings.set_theme(mode)
        self.actions[mode].setChecked(True)
        apply(mode)
        self.window.update()

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.window.settings.theme() == "system":
            apply("system")


def install(window: MainWindow) -> ThemeMenu:
    mode = window.settings.theme()
    if mode != "system":
        apply(mode)  # before the first paint: no flash of the other scheme
    else:  # the platform's palette already follows it; the checks can wait
        window.firstPainted.connect(lambda: apply(window.settings.theme()))
    menu = ThemeMenu(window)
    view_menu = window.findChild(QMenu, "viewMenu")
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addMenu(menu.menu)
    window.theme_menu = menu  # type: ignore[attr-defined]
    return menu
