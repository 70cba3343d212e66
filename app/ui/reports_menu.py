"""The Reports menu. Built with the window, before its first paint, so it imports nothing of
the reports themselves (app/ui/report_views.py pulls in the services and SQLAlchemy): each
action imports report_views when it is triggered (DESIGN.md 7, issue 15 item 8)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction

from app.io.reports.catalog import REPORTS, TITLES


def _open_report(window: Any, name: str) -> None:
    from app.ui.report_views import open_report

    open_report(window, name)


def _export_view(window: Any, fmt: str) -> None:
    from app.ui.report_views import export_view

    export_view(window, fmt)


def _number_series(window: Any) -> None:
    from app.ui.number_series_dialog import open_number_series

    open_number_series(window)


def install(window: Any) -> None:
    """Add the Reports menu to the main window (before Help)."""
    menu = window.menuBar().addMenu("&Reports")
    menu.setObjectName("reportsMenu")
    help_action = getattr(window, "helpMenu", None)
    if help_action is not None:
        window.menuBar().insertMenu(help_action.menuAction(), menu)
    for name in REPORTS:
        action = QAction(f"{TITLES[name]}…", window)
        action.setObjectName(f"actionReport-{name}")
        action.triggered.connect(lambda _=False, n=name: _open_report(window, n))
        menu.addAction(action)
    menu.addSeparator()
    for fmt in ("xlsx", "csv"):
        action = QAction(f"Export View to {fmt.upper()}…", window)
        action.setObjectName(f"actionExportView-{fmt}")
        action.triggered.connect(lambda _=False, f=fmt: _export_view(window, f))
        menu.addAction(action)
    menu.addSeparator()
    series = QAction("No. &Series…", window)
    series.setObjectName("actionNumberSeries")
    series.triggered.connect(lambda: _number_series(window))
    menu.addAction(series)
