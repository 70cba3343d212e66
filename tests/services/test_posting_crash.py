"""A posting process killed half-way leaves the books exactly as they were."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.db import Database, open_database
from app.services import posting
from tests.services.books import bulk_journal, make_books, snapshot

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys, time, uuid
from app.db import open_database
from app.services import ledger_common, posting

db = open_database(sys.argv[1])
stop_at = sys.argv[4]
written = [0]
insert = ledger_common.BulkTable.insert_converted

def counting_insert(self, rows):
    count = insert(self, rows)
    written[0] += count
    return count

ledger_common.BulkTable.insert_converted = counting_insert

def progress(stage):
    if stage == stop_at:
        print(f"inside the transaction at {stage}, {written[0]} rows written", flush=True)
        time.sleep(120)

posting.post(db, uuid.UUID(sys.argv[2]), uuid.UUID(sys.argv[3]), progress=progress)
print("posted", flush=True)
"""


@pytest.mark.parametrize("stage", ["gl entries", "detailed entries", "lines deleted"])
def test_killed_posting_leaves_no_partial_posting(db: Database, db_path: Path,
                                                  stage: str) -> None:
    books = make_books(db)
    bulk_journal(books, 8_000)
    before = snapshot(db)
    assert len(before["payments"]) == 8_000
    db.close()

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(books.company_id),
         str(books.journal_id), stage],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith(f"inside the transaction at {stage}, "), child.stderr.read()
        assert int(line.split(", ")[1].split()[0]) >= 16_000  # the entries are written
        # The child has written its entries (and at the last stage deleted the lines) inside
        # its transaction: the WAL holds them, uncommitted. Now it dies without a word.
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    reopened = open_database(db_path)
    try:
        assert snapshot(reopened) == before  # every line there; no entry, no register
        with sqlite3.connect(db_path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # And the journal still posts, completely.
        register = posting.post(reopened, books.company_id, books.journal_id)
        assert register.number == 1 and register.cust_entry_count == 8_000
        assert register.total_debit == register.total_credit
    finally:
        reopened.close()
