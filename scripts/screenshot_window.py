"""Render the main window on the demo database at 1280x800 and 1920x1080, light and dark
(docs/screenshot-main-window*.png; the README shows docs/screenshot-main-window.png).

    xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshot_window.py docs
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = ((1280, 800), (1920, 1080))


def main(out: Path) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")  # the same look on every machine that renders the docs
    from app.db import open_database
    from app.services import applications, journals, payments
    from app.services.demo import create_demo_company
    from app.ui import theme
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    folder = Path(tempfile.mkdtemp())
    db = open_database(folder / "books.sqlite")
    demo = create_demo_company(db, work_date=date(2026, 11, 20))
    bank = journals.find_by_code(db, demo.id, "BANK")
    # A line applied to several invoices, as Apply Entries does ("2 invoices").
    for line in reversed(payments.list_all(db, demo.id, bank.id)):
        applied = applications.apply_to_oldest(db, demo.id, line.id)
        if sum(1 for e in applied.entries if e.applied) >= 2:
            break
        applications.clear_applications(db, demo.id, line.id)
    for mode in ("light", "dark"):
        for width, height in SIZES:
            window = MainWindow(Settings(folder / f"{mode}{width}.ini"))
            window.settings.set_theme(mode)
            theme.apply(mode)
            window.resize(width, height)
            window.show()
            window.set_database(db)
            window.select_company(demo.id)
            window.select_journal(bank.id)
            window.activateWindow()
            window.paymentsView.setFocus()
            model = window.payments_model()
            window.paymentsView.setCurrentIndex(model.index(0, model.column_of("customerNumber")))
            for _ in range(10):
                app.processEvents()
            suffix = "" if (mode, width) == ("light", 1280) else f"-{mode}-{width}x{height}"
            target = out / f"screenshot-main-window{suffix}.png"
            window.grab().save(str(target))
            print(target)
            if window.editing.ops is not None:
                window.editing.ops.stack.clear()
            window.close()
            window.deleteLater()
            app.processEvents()
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
