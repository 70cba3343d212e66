"""Several users on one PostgreSQL book (issue 13). Prints a table; run from the repo root:

    scripts/pg_test_server.sh start            # prints the URL; or any server you may use
    python benchmarks/bench_multiuser.py --pg URL [--clients 10] [--lines 1000]
                                         [--posters 2] [--post-lines 100000]

- ``--clients`` processes each add ``--lines`` journal lines, one transaction per line
  (``payments.create``, what the grid does), to a journal of their own, while ``--posters``
  other processes keep adding 200 lines to their own journals and posting them;
- a watcher process listens (app/db/listen.py) and notes when it hears each line: the time
  from the start of the write in one process to the notification in another;
- afterwards every journal is counted: lines lost or written twice must be 0, and the
  posted registers and entries numbered without a gap;
- then a journal of ``--post-lines`` lines is posted on PostgreSQL and, in the same run, on
  SQLite (the peer), as a ratio.

Budgets: >= 1,000 lines/s in total, p99 < 50 ms per line; a change seen elsewhere within
1 s at p99; PostgreSQL posting <= 2x SQLite. The machine's load average is printed: on a
shared 2-core machine the clients, the posters, the watcher and the server share 2 cores.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

POSTER_BATCH = 200


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _client(url: str, company_id: uuid.UUID, journal_id: uuid.UUID, lines: int,
            start: Any, out: Any) -> None:
    from app.db import open_database
    from app.domain.schemas import PaymentCreate
    from app.services import payments

    db = open_database(url)
    latencies: list[float] = []
    started: dict[str, float] = {}
    busy = 0
    start.wait()
    for i in range(lines):
        begin = time.time()
        t0 = time.perf_counter()
        data = PaymentCreate(customer_number="C1", amount=Decimal(f"-{1 + i % 97}.00"),
                             document_number=f"M{i:05d}")
        line, tries = _retrying(lambda data=data: payments.create(db, company_id, journal_id, data))
        busy += tries
        latencies.append(time.perf_counter() - t0)
        started[str(line.id)] = begin
    db.close()
    out.put(("client", latencies, started, busy))


def _retrying(work: Any) -> tuple[Any, int]:
    """Run ``work``; when the database is busy (a SQLite file whose write lock others held
    past the busy timeout), try again as a user would, counting the refusals."""
    from app.domain.errors import DatabaseBusy

    refused = 0
    while True:
        try:
            return work(), refused
        except DatabaseBusy:
            refused += 1
            time.sleep(0.01)


def _poster(url: str, company_id: uuid.UUID, journal_id: uuid.UUID, start: Any, stop: Any,
            out: Any) -> None:
    from app.db import open_database
    from app.domain.schemas import PaymentCreate
    from app.services import payments, posting

    db = open_database(url)
    posted = postings = 0
    seconds: list[float] = []
    start.wait()
    while not stop.is_set():
        for i in range(POSTER_BATCH):
            data = PaymentCreate(customer_number="C2", amount=Decimal(f"-{1 + i % 89}.00"),
                                 document_number=f"Q{postings:04d}{i:03d}")
            _retrying(lambda data=data: payments.create(db, company_id, journal_id, data))
        t0 = time.perf_counter()
        _retrying(lambda: posting.post(db, company_id, journal_id))
        seconds.append(time.perf_counter() - t0)
        posted += POSTER_BATCH
        postings += 1
    db.close()
    out.put(("poster", posted, seconds))


def _watcher(url: str, ready: Any, stop: Any, out: Any) -> None:
    from app.db import open_database
    from app.db.listen import start_listening

    db = open_database(url)
    heard: dict[str, float] = {}

    def on_change(changes: Any) -> None:
        now = time.time()
        for changed in changes.ids:
            heard.setdefault(str(changed), now)

    db.add_listener(on_change)
    if db.is_sqlite:  # a file: the change log, polled as a window would (ChangeWatcher)
        from app.db.changes import ChangeWatcher

        watcher = ChangeWatcher(db)
        ready.set()
        end = None
        while end is None or time.monotonic() < end:
            for changes in watcher.poll():
                on_change(changes)
            time.sleep(0.02)
            if end is None and stop.is_set():
                end = time.monotonic() + 1.0
        watcher.close()
    else:
        listener = start_listening(db)
        assert listener is not None and listener.connected.wait(10)
        ready.set()
        stop.wait()
        time.sleep(1.0)  # the last notifications
    db.close()
    out.put(("watcher", heard))


def _fresh_database(server: str, name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    engine = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop(server: str, name: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    engine.dispose()


def bench_many(server: str | None, clients: int, lines: int, posters: int) -> dict[str, Any]:
    """The clients and posters on a PostgreSQL database of ``server``, or on a SQLite file
    when ``server`` is None (the peer)."""
    from sqlalchemy import func, select

    from app.db import open_database
    from app.db.models import CustLedgerEntry, GLEntry, GLRegister, Payment
    from app.domain.schemas import JournalCreate
    from app.services import journals
    from tests.services.books import make_books

    name = f"bench_multiuser_{os.getpid()}"
    folder = tempfile.TemporaryDirectory()
    url = _fresh_database(server, name) if server else str(Path(folder.name) / "many.sqlite")
    db = open_database(url)
    books = make_books(db)
    cid = books.company_id
    client_journals = [journals.create(db, cid, JournalCreate(
        code=f"U{i:02d}", balancing_account_number="2910")).id for i in range(clients)]
    poster_journals = [journals.create(db, cid, JournalCreate(
        code=f"P{i:02d}", balancing_account_number="2910")).id for i in range(posters)]

    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start = ctx.Barrier(clients + posters + 1)
    stop, ready = ctx.Event(), ctx.Event()
    watcher = ctx.Process(target=_watcher, args=(url, ready, stop, out))
    watcher.start()
    assert ready.wait(60)
    procs = [ctx.Process(target=_client, args=(url, cid, j, lines, start, out))
             for j in client_journals]
    procs += [ctx.Process(target=_poster, args=(url, cid, j, start, stop, out))
              for j in poster_journals]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    results: list[Any] = []
    while sum(1 for r in results if r[0] == "client") < clients:
        results.append(out.get(timeout=600))
    wall = time.perf_counter() - t0
    stop.set()
    while len(results) < clients + posters + 1:
        results.append(out.get(timeout=600))
    for p in [*procs, watcher]:
        p.join(60)

    latencies = [x for r in results if r[0] == "client" for x in r[1]]
    started = {k: v for r in results if r[0] == "client" for k, v in r[2].items()}
    heard = next(r[1] for r in results if r[0] == "watcher")
    seen = [heard[k] - v for k, v in started.items() if k in heard]
    busy = sum(r[3] for r in results if r[0] == "client")
    posted = sum(r[1] for r in results if r[0] == "poster")
    post_seconds = [x for r in results if r[0] == "poster" for x in r[2]]
    with db.reading() as session:
        per_journal = {j: int(session.scalar(select(func.count()).select_from(Payment)
                                             .where(Payment.journal_id == j)) or 0)
                       for j in client_journals}
        distinct = int(session.scalar(select(func.count(func.distinct(Payment.id)))) or 0)
        total = int(session.scalar(select(func.count()).select_from(Payment)) or 0)
        registers = sorted(session.scalars(select(GLRegister.number)))
        gl = sorted(session.scalars(select(GLEntry.entry_number)))
        cust = int(session.scalar(select(func.count()).select_from(CustLedgerEntry)) or 0)
    db.close()
    if server:
        _drop(server, name)
    folder.cleanup()
    lost = sum(max(0, lines - n) for n in per_journal.values())
    doubled = sum(max(0, n - lines) for n in per_journal.values()) + (total - distinct)
    gaps = (registers != list(range(1, len(registers) + 1))) + (
        gl != list(range(1, len(gl) + 1)))
    return {"wall": wall, "lines": len(latencies), "latencies": latencies, "seen": seen,
            "unseen": len(started) - len(seen), "busy": busy, "lost": lost, "doubled": doubled,
            "posted": posted, "posted_entries": cust, "postings": len(post_seconds),
            "post_seconds": post_seconds, "number_gaps": gaps}


def bench_post(target: str, lines: int) -> float:
    from app.db import open_database
    from app.services import posting
    from tests.services.books import bulk_journal, make_books

    db = open_database(target)
    books = make_books(db)
    bulk_journal(books, lines, apply=True)
    t0 = time.perf_counter()
    posting.post(db, books.company_id, books.journal_id)
    seconds = time.perf_counter() - t0
    db.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("LEDGERDESK_TEST_PG"),
                        help="admin URL of a PostgreSQL server (default $LEDGERDESK_TEST_PG)")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--posters", type=int, default=2)
    parser.add_argument("--post-lines", type=int, default=100_000)
    args = parser.parse_args()
    if not args.pg:
        parser.error("--pg URL (or LEDGERDESK_TEST_PG) is needed")
    print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores")

    many = bench_many(args.pg, args.clients, args.lines, args.posters)
    peer = bench_many(None, args.clients, args.lines, args.posters)

    name = f"bench_post_{os.getpid()}"
    pg_url = _fresh_database(args.pg, name)
    pg_post = bench_post(pg_url, args.post_lines)
    _drop(args.pg, name)
    with tempfile.TemporaryDirectory() as folder:
        sqlite_post = bench_post(str(Path(folder) / "post.sqlite"), args.post_lines)
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    def row(work: str, value: str, budget: str, ok: bool | None) -> None:
        result = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"{work:<58}{value:>14}  {budget:<18}{result}")

    print(f"\n{args.clients} clients x {args.lines} lines (one transaction each) while "
          f"{args.posters} posters post; PostgreSQL, and SQLite (one file) as the peer:")
    print(f"{'work':<46}{'PostgreSQL':>12}{'SQLite':>12}  {'budget':<14}result")

    def both(work: str, key: Any, fmt: str, budget: str, ok: Any) -> None:
        a, b = key(many), key(peer)
        result = "" if ok is None else ("ok" if ok(a) else "MISSED")
        print(f"{work:<46}{fmt.format(a):>12}{fmt.format(b):>12}  {budget:<14}{result}")

    def pct(name: str, q: float) -> Any:
        return lambda r: _percentile(r[name], q) * 1000

    both("lines per second, all clients", lambda r: r["lines"] / r["wall"], "{:,.0f}/s",
         ">= 1,000/s", lambda v: v >= 1000)
    both("per line p50 (ms)", pct("latencies", 0.5), "{:.1f}", "", None)
    both("per line p99 (ms)", pct("latencies", 0.99), "{:.1f}", "< 50 ms", lambda v: v < 50)
    both("seen by another process p50 (ms)", pct("seen", 0.5), "{:.1f}", "", None)
    both("seen by another process p99 (ms)", pct("seen", 0.99), "{:.1f}", "< 1,000 ms",
         lambda v: v < 1000)
    both("lines the watcher never heard", lambda r: r["unseen"], "{}", "0", lambda v: v == 0)
    both("writes refused as busy, tried again", lambda r: r["busy"], "{}", "", None)
    both("lines lost", lambda r: r["lost"], "{}", "0", lambda v: v == 0)
    both("lines written twice", lambda r: r["doubled"], "{}", "0", lambda v: v == 0)
    both("postings meanwhile", lambda r: r["postings"], "{}", "", None)
    both("lines posted meanwhile", lambda r: r["posted"], "{}", "", None)
    both("posted lines missing from the ledger", lambda r: r["posted"] - r["posted_entries"],
         "{}", "0", lambda v: v == 0)
    both("gaps in register / entry numbers", lambda r: r["number_gaps"], "{}", "0",
         lambda v: v == 0)
    print(f"PostgreSQL / SQLite lines per second: "
          f"{(many['lines'] / many['wall']) / (peer['lines'] / peer['wall']):.2f}x")

    ratio = pg_post / sqlite_post
    print(f"\nposting a journal of {args.post_lines:,} lines (each paying its invoice):")
    row("SQLite (peer)", f"{sqlite_post:.2f} s", "", None)
    row("PostgreSQL", f"{pg_post:.2f} s", "", None)
    row("PostgreSQL / SQLite", f"{ratio:.2f}x", "<= 2x", ratio <= 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
