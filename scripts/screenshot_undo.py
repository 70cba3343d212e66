"""Screenshots of undo in the main window (docs/screenshot-undo-history.png) and of a dialog
with a validation error opened from it (the run's output folder only).

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_undo.py docs
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(out: Path) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app = QApplication(sys.argv[:1])
    from app.domain.schemas import JournalCreate
    from app.ui.dialogs import build_new_dialog
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    folder = Path(tempfile.mkdtemp())
    window = MainWindow(Settings(folder / "settings.ini"))
    window.resize(1360, 860)
    window.show()
    window.open_target(folder / "books.sqlite", demo=True)
    ops = window.editing.ops
    assert ops is not None and window.company_id is not None
    window.docks["history"].show()

    def settle() -> None:
        for _ in range(10):
            app.processEvents()
            QTest.qWait(20)

    # three changes the way the window makes them: a cell, a journal, two deleted lines
    model = window.payments_model()
    model.setData(model.index(0, model.column_of("comment")), "called to confirm")
    ops.create("journal", window.company_id,
               JournalCreate(code="SAVE", display_name="Savings receipts",
                             balancing_account_number="2920"))
    window.select_journal(next(r.id for r in (window.model_of("journalsView").row_at(i)
                                              for i in range(3)) if r and r.code == "BANK"))
    model.delete_rows([2, 3])
    window.paymentsView.setCurrentIndex(model.index(2, 1))
    settle()
    screen = app.primaryScreen()
    menu = window.editMenu
    menu.popup(window.mapToGlobal(QPoint(window.menuBar().actionGeometry(
        menu.menuAction()).left(), window.menuBar().geometry().bottom() + 2)))
    settle()
    frame = window.frameGeometry()
    screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
        str(out / "screenshot-undo-history.png"))
    menu.hide()

    dialog = build_new_dialog(ops, "journal", window.company_id, parent=window)
    dialog.show()
    for name, text in (("code", "receipts-eu"), ("displayName", "Receipts in euro"),
                       ("balancingAccountNumber", "2999")):
        edit = dialog.editors[name].widget
        edit.setFocus()
        QTest.keyClicks(edit, text)
    dialog.editors["displayName"].widget.setFocus()
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle()
    screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
        str(out / "screenshot-window-dialog.png"))
    dialog.reject()
    print(out / "screenshot-undo-history.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
