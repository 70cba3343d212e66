"""Benchmark of the main window on a big database (DESIGN.md section 7). Not a test.

    python benchmarks/make_big_db.py /tmp/big.sqlite      # once: 1,000,000 lines
    python benchmarks/bench_ui.py /tmp/big.sqlite [--runs 5]

Runs offscreen. Start-up figures come from fresh processes (the parent's clock from spawning
the process to the child's report); the others from one process with the window open on
journal BIG. Each figure is the median of --runs runs. Prints a table with the budgets.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
class W(QMainWindow):
    done = False
    def paintEvent(self, e):
        super().paintEvent(e)
        if not self.done:
            self.done = True
            print("paint", time.time(), flush=True)
            QTimer.singleShot(0, app.quit)
app = QApplication(sys.argv)
w = W(); w.resize(1280, 800); w.show()
app.exec()
"""

APP = r"""
import sys, time
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from PySide6.QtCore import QTimer
from app.ui.app import start_gui
from app.ui.settings import Settings
app, window = start_gui(sys.argv[1], settings=Settings(Path(sys.argv[2])))
def ready():
    print("paint", window.painted_at, flush=True)
    app.processEvents()  # the rows on screen are fetched and painted
    window.paymentsView.viewport().repaint()
    print("ready", time.time(), window.payments_model().rowCount(), flush=True)
    window.close()
    QTimer.singleShot(0, app.quit)
window.databaseReady.connect(ready)
app.exec()
"""


def _spawn(code: str, *args: str) -> dict[str, float]:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout
    marks = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("paint", "ready"):
            marks[parts[0]] = float(parts[1]) - started
    return marks


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _timed(action: Callable[[], object], settle: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    settle()
    return time.perf_counter() - started


def _rss_mb() -> tuple[float, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def run(db_path: Path, runs: int) -> list[tuple[str, float, str, str]]:
    settings_file = Path(tempfile.mkdtemp()) / "bench.ini"
    rows: list[tuple[str, float, str, str]] = []

    # A first in-process window on the file: remembers journal BIG as the last journal.
    from PySide6.QtCore import QLocale, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.db import open_database
    from app.services import companies, journals
    from app.ui.main_window import MainWindow
    from app.ui.panes.common import _sort as sort_view  # a header click's sort
    from app.ui.settings import Settings

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app = QApplication.instance() or QApplication([])
    db = open_database(db_path)
    company = companies.find(db, "CRONUS Demo")
    big = journals.find_by_code(db, company.id, "BIG")
    small = journals.find_by_code(db, company.id, "CASH")
    window = MainWindow(Settings(settings_file))
    window.show()
    window.set_database(db)
    window.select_company(company.id)
    window.select_journal(big.id)
    window.close()
    app.processEvents()

    bare = [_spawn(BARE)["paint"] for _ in range(runs)]
    marks = [_spawn(APP, str(db_path), str(settings_file), str(ROOT)) for _ in range(runs)]
    bare_paint = _median(bare)
    first_paint = _median([m["paint"] for m in marks])
    rows.append(("bare PySide6 window: first paint", bare_paint, "", "reference"))
    rows.append(("Ledgerdesk: first paint", first_paint, f"< {1.5 * bare_paint:.3f} s (1.5x)",
                 _verdict(first_paint < 1.5 * bare_paint)))
    usable = _median([m["ready"] for m in marks])
    rows.append(("start to usable window, 1M-line journal", usable, "< 0.800 s",
                 _verdict(usable < 0.8)))

    window = MainWindow(Settings(settings_file))
    window.resize(1280, 800)
    window.show()
    window.set_database(db)
    grid = window.paymentsView
    model = window.payments_model()

    def settle() -> None:
        app.processEvents()
        grid.viewport().repaint()  # paint: data() for every visible cell

    amount, received = model.column_of("amount"), model.column_of("amountReceived")
    line_number = model.column_of("lineNumber")
    opens, ends, sorts, filters, edits = [], [], [], [], []
    for _ in range(runs):
        window.select_journal(small.id)
        settle()
        opens.append(_timed(lambda: window.select_journal(big.id), settle))
        grid.setFocus()
        grid.setCurrentIndex(model.index(0, 1))
        settle()
        ends.append(_timed(lambda: QTest.keyClick(grid, Qt.Key.Key_End,
                                                  Qt.KeyboardModifier.ControlModifier), settle))
        assert grid.currentIndex().row() == model.rowCount() - 1
        sorts.append(_timed(lambda: sort_view(grid, model, amount,
                                                 Qt.SortOrder.DescendingOrder), settle))
        sort_view(grid, model, line_number, Qt.SortOrder.AscendingOrder)
        settle()
        filters.append(_timed(lambda: model.set_filter_text("K100123"), settle))
        assert 0 < model.rowCount() < 1000
        model.set_filter_text("")
        settle()
    last = model.rowCount() - 1
    stamp = time.time_ns() // 1_000_000 % 1_000_000  # a new value on every run of the script
    for number in range(3 * runs):  # the grid's write path: parse, service, re-read the row
        cell, value = model.index(last - number, received), f"{stamp + number:,}.25"
        edits.append(_timed(lambda c=cell, v=value: model.setData(c, v), lambda: None))
        assert model.data(cell) == value
    rows.append(("open the journal (count, first page, footer)", _median(opens), "< 0.300 s",
                 _verdict(_median(opens) < 0.3)))
    rows.append(("jump to its last line (Ctrl+End)", _median(ends), "< 0.050 s",
                 _verdict(_median(ends) < 0.05)))
    rows.append(("sort by amount (descending)", _median(sorts), "< 0.500 s",
                 _verdict(_median(sorts) < 0.5)))
    rows.append(("filter by customer (K100123)", _median(filters), "< 0.500 s",
                 _verdict(_median(filters) < 0.5)))
    rss, peak = _rss_mb()
    rows.append(("RSS with the journal open (MB)", rss, "< 150 MB", _verdict(rss < 150)))
    rows.append(("peak RSS of the process (MB)", peak, "", ""))
    rows.append(("one cell edit to committed row", _median(edits), "< 0.010 s",
                 _verdict(_median(edits) < 0.01)))
    window.close()
    db.close()
    return rows


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description="Ledgerdesk GUI benchmark")
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = run(args.db, args.runs)
    print(f"{'work':48} {'measured':>12}  {'budget':20} result")
    for name, value, budget, verdict in rows:
        shown = f"{value:,.1f} MB" if "MB" in name else f"{value * 1000:,.1f} ms"
        print(f"{name:48} {shown:>12}  {budget:20} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
