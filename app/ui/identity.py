"""The application's identity on screen: name, version, icon, desktop entry name.

Everything comes from app/__init__.py (name, id, version) and app/resources (the icon), so the
window, the About box, the .desktop entry and the installers all say the same thing.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QIcon

from app import APP_ID, APP_NAME, __version__, resources


def app_icon() -> QIcon:
    """The application icon, scalable (drawn from the SVG at whatever size is asked)."""
    return QIcon(str(resources.icon_path()))


def apply_identity(app: QGuiApplication) -> None:
    """Name, version and icon on the QApplication; call once, right after creating it."""
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    # Wayland and the task bars match the window to /usr/share/applications/<id>.desktop.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
