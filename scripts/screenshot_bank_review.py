"""Render the bank statement review dialog on the demo data offscreen into
docs/bank-review-dialog.png (QWidget.grab())."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from app.db import open_database
    from app.io.bank import read_statement, samples
    from app.services import bank_import, journals
    from app.services.demo import create_demo_company, demo_statement_lines
    from app.ui.bank_import import BankReviewDialog

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app = QApplication(sys.argv)
    day = date(2026, 11, 20)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "demo.sqlite")
        company = create_demo_company(db, work_date=day)
        journal = journals.find_by_code(db, company.id, "CASH")
        lines = demo_statement_lines(db, company.id, day)
        statement = read_statement(samples.write(samples.statement_of(lines), "camt053"))
        plan = bank_import.plan(db, company.id, journal.id, statement)
        dialog = BankReviewDialog(db, company.id, plan, "camt053-2026-11-20.xml")
        dialog.resize(1560, 560)
        dialog.show()
        app.processEvents()
        out = Path(__file__).resolve().parent.parent / "docs" / "bank-review-dialog.png"
        dialog.grab().save(str(out))
        dialog.close()
        db.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
