"""Regression guard for PySide6 6.12.0 on Python 3.11 (DESIGN.md section 10): every Python
data() that returned None through Qt lost a reference to None, and the interpreter aborted
after some thousands of calls. A crash here kills the test process, so it runs in a child."""

from __future__ import annotations

import subprocess
import sys

CHILD = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication

class NoneModel(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()): return 10
    def columnCount(self, parent=QModelIndex()): return 10
    def data(self, index, role=Qt.ItemDataRole.DisplayRole): return None

app = QApplication([])
model = NoneModel()
index = model.index(3, 3)
before = sys.getrefcount(None)
for _ in range(100_000):
    index.data(Qt.ItemDataRole.DisplayRole)  # through Qt, back into Python's data()
after = sys.getrefcount(None)
print("ok", before, after)
"""


def test_none_returning_data_survives_100k_calls() -> None:
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok")
