"""Render the payment line dialog with a validation error (docs/screenshot-dialog-validation.png).

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_dialogs.py docs
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(out: Path) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app = QApplication(sys.argv[:1])
    from app.db import open_database
    from app.services import journals
    from app.services.demo import create_demo_company
    from app.ui.dialogs import build_new_dialog
    from app.ui.operations import Operations

    db = open_database(Path(tempfile.mkdtemp()) / "books.sqlite")
    demo = create_demo_company(db, work_date=date(2026, 11, 20))
    bank = journals.find_by_code(db, demo.id, "BANK")
    dialog = build_new_dialog(Operations(db), "payment", demo.id, journal_id=bank.id)
    dialog.show()
    dialog.activateWindow()
    for name, text in (("customerNumber", "c10020"), ("amount", "-1.234,50"),
                       ("appliesToInvoiceNumber", "103003"),
                       ("description", "Cheque 4471 received at the counter")):
        edit = dialog.editors[name].widget
        edit.setFocus()
        QTest.keyClicks(edit, text)
    dialog.editors["comment"].widget.setFocus()
    for _ in range(5):
        app.processEvents()
    target = out / "screenshot-dialog-validation.png"
    dialog.grab().save(str(target))
    print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
