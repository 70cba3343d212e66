"""Several users on one book, with real concurrent clients (each its own ``Database`` handle,
its own connections, in its own thread): the posting lock, gap-free numbers, who wrote what,
live refresh, roles the server enforces, and faults of the server.

Tests that need a server are marked ``postgresql`` (skipped without ``LEDGERDESK_TEST_PG``);
the others run on both backends (tests/backends.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.db import Database, open_database, users
from app.db.models import CustLedgerEntry, GLEntry, GLRegister, Payment
from app.domain.changes import ChangeSet, Kind
from app.domain.errors import DatabaseBusy, NoPermission, ServerUnavailable
from app.domain.schemas import JournalCreate, PaymentCreate, PaymentUpdate
from app.services import journals, payments, posting
from tests.services.books import Books, make_books, snapshot


def second_client(db: Database) -> Database:
    """Another user's handle on the same book."""
    if db.path is not None:
        return open_database(db.path)
    return open_database(db.engine.url.render_as_string(hide_password=False))


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def _lines(books: Books, journal_id: Any, count: int, *, db: Database | None = None) -> None:
    for i in range(count):
        payments.create(db or books.db, books.company_id, journal_id, PaymentCreate(
            customer_number="C1", amount=Decimal(f"-{10 + i}.00"),
            document_number=f"D{journal_id.hex[:4]}{i}"))


# --- the posting lock -----------------------------------------------------------------------

@pytest.mark.postgresql
def test_a_second_poster_is_told_who_posts_the_journal(books: Books) -> None:
    _lines(books, books.journal_id, 3)
    other = second_client(books.db)
    inside, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def hold(stage: str) -> None:
        if stage == "register":  # the first poster holds the journal, half-way
            inside.set()
            assert release.wait(10)

    def first() -> None:
        try:
            outcome["register"] = posting.post(books.db, books.company_id, books.journal_id,
                                               progress=hold)
        except Exception as exc:  # reported to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert inside.wait(10)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as refused:
            posting.post(other, books.company_id, books.journal_id)
        assert time.monotonic() - started < 2  # told at once, not after a wait
        assert str(refused.value.message).startswith(
            f"Journal BANK is being posted by {users.of_database(other)}")
    finally:
        release.set()
        thread.join(20)
        other.close()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["register"].number == 1
    with books.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(GLRegister)) == 1
        assert session.scalar(select(func.count()).select_from(Payment)) == 0


# --- gap-free numbers -------------------------------------------------------------------------

def test_concurrent_postings_number_without_gaps_or_collisions(books: Books) -> None:
    """Four clients post four journals at once, and one posting fails half-way: every
    register, G/L and customer entry number is used once, with no gap (the failed one gave
    its numbers back)."""
    db = books.db
    codes = ["J1", "J2", "J3", "J4", "JX"]
    ids = {}
    for code in codes:
        journal = journals.create(db, books.company_id, JournalCreate(
            code=code, balancing_account_number="2910"))
        ids[code] = journal.id
        _lines(books, journal.id, 3)
    clients = {code: second_client(db) for code in codes}
    start = threading.Barrier(len(codes))
    errors: dict[str, BaseException] = {}

    def fail(stage: str) -> None:
        if stage == "customer entries":
            raise RuntimeError("the posting broke half-way")

    def post(code: str) -> None:
        start.wait(10)
        try:
            posting.post(clients[code], books.company_id, ids[code],
                         progress=fail if code == "JX" else None)
        except BaseException as exc:  # the test looks at it
            errors[code] = exc

    threads = [threading.Thread(target=post, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for client in clients.values():
        client.close()
    assert set(errors) == {"JX"} and "half-way" in str(errors["JX"])
    with db.reading() as session:
        registers = sorted(session.scalars(select(GLRegister.number)))
        gl = sorted(session.scalars(select(GLEntry.entry_number)))
        cust = sorted(session.scalars(select(CustLedgerEntry.entry_number)))
        left = session.scalar(select(func.count()).select_from(Payment)
                              .where(Payment.journal_id == ids["JX"]))
    assert registers == [1, 2, 3, 4]
    # A customer and a balancing entry per line.
    assert gl == list(range(1, len(gl) + 1)) and len(gl) == 4 * 3 * 2
    assert cust == list(range(1, len(cust) + 1)) and len(cust) == 4 * 3
    assert left == 3  # the failed posting left its journal as it was
    # The numbers the failed posting had taken are the next posting's.
    assert posting.post(db, books.company_id, ids["JX"]).number == 5


# --- who did it -------------------------------------------------------------------------------

def test_lines_and_registers_record_the_user_who_wrote_them(books: Books) -> None:
    _lines(books, books.journal_id, 2)
    expected = users.of_database(books.db)
    assert expected
    with books.db.reading() as session:
        assert set(session.scalars(select(Payment.user_id))) == {expected}
        line_id, version = session.execute(select(Payment.id, Payment.version)).first() or (
            None, 0)
        assert line_id is not None
    payments.update(books.db, books.company_id, line_id,
                    PaymentUpdate(description="edited"), version=version)
    register = posting.post(books.db, books.company_id, books.journal_id)
    assert register.user_id == expected
    with books.db.reading() as session:
        assert session.scalar(select(GLRegister.user_id)) == expected


# --- live refresh -----------------------------------------------------------------------------

@pytest.mark.postgresql
def test_a_commit_of_client_a_reaches_client_b_within_a_second(books: Books) -> None:
    from app.db.listen import start_listening

    b = second_client(books.db)
    heard: list[tuple[float, ChangeSet]] = []
    b.add_listener(lambda changes: heard.append((time.monotonic(), changes)))
    listener = start_listening(b)
    assert listener is not None and listener.connected.wait(5)
    own = start_listening(books.db)  # A listens too: it must not hear itself again
    assert own is not None and own.connected.wait(5)
    a_heard: list[ChangeSet] = []
    books.db.add_listener(a_heard.append)
    try:
        started = time.monotonic()
        line = payments.create(books.db, books.company_id, books.journal_id, PaymentCreate(
            customer_number="C1", amount=Decimal("-5.00")))
        deadline = started + 1.0
        while not heard and time.monotonic() < deadline:
            time.sleep(0.01)
        assert heard, "client B heard nothing within 1 s"
        at, changes = heard[0]
        assert at - started < 1.0
        assert changes.source == "server" and Kind.PAYMENT in changes.kinds
        assert changes.company_id in (None, books.company_id) and line.id in changes.ids
        time.sleep(0.3)
        assert len(a_heard) == 1 and a_heard[0].source == "local"  # its own commit, once
    finally:
        b.close()
        books.db.remove_listener(a_heard.append)
    assert not listener.running  # closing the handle stopped its listener


@pytest.mark.postgresql
def test_the_listener_reconnects_and_asks_to_read_everything(books: Books,
                                                             pg_server: str) -> None:
    from app.db.listen import start_listening

    b = second_client(books.db)
    heard: list[ChangeSet] = []
    b.add_listener(heard.append)
    listener = start_listening(b)
    assert listener is not None and listener.connected.wait(5)
    try:
        _terminate(pg_server, "LISTEN%")  # the server drops the listening connection
        deadline = time.monotonic() + 10
        while listener.reconnects == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert listener.reconnects == 1
        assert heard and heard[-1] == ChangeSet.everything(source="server")
        assert listener.connected.wait(5)
        payments.create(books.db, books.company_id, books.journal_id, PaymentCreate(
            customer_number="C1", amount=Decimal("-5.00")))
        deadline = time.monotonic() + 2
        while len(heard) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert Kind.PAYMENT in heard[-1].kinds  # listening again
    finally:
        b.close()


# --- faults -----------------------------------------------------------------------------------

def _terminate(pg_server: str, query_like: str, *, database: str | None = None) -> int:
    engine = create_engine(pg_server, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND query LIKE :q "
                "AND (CAST(:d AS text) IS NULL OR datname = :d)"),
                {"q": query_like, "d": database}).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.postgresql
def test_the_server_going_away_mid_posting_rolls_it_back(books: Books, pg_server: str) -> None:
    _lines(books, books.journal_id, 3)
    before = snapshot(books.db)
    database = make_url(books.db.engine.url).database

    def cut(stage: str) -> None:
        if stage == "gl entries":  # the server ends the posting's connection
            assert _terminate(pg_server, "%", database=database) >= 1

    with pytest.raises(ServerUnavailable) as gone:
        posting.post(books.db, books.company_id, books.journal_id, progress=cut)
    assert "cannot be reached" in gone.value.message
    assert snapshot(books.db) == before  # rolled back; and the handle works again
    assert posting.post(books.db, books.company_id, books.journal_id).number == 1


def _pg_ctl(action: str) -> None:
    import os
    import subprocess

    state = os.environ.get("LEDGERDESK_PG_STATE", "/tmp/ledgerdesk-pg-test")
    binaries = sorted(__import__("glob").glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not binaries or not os.path.isdir(f"{state}/data"):
        pytest.skip("the test server is not the one scripts/pg_test_server.sh started")
    with open(f"{state}/port") as handle:
        port = handle.read().strip()
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {state} -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    pg_ctl = f"{binaries[-1]} -D {state}/data"

    def run(command: str, check: bool = True) -> int:
        argv = ["su", "postgres", "-s", "/bin/bash", "-c", command] if os.getuid() == 0 \
            else ["bash", "-c", command]
        return subprocess.run(argv, check=check, capture_output=True, timeout=90).returncode

    running = run(f"{pg_ctl} status", check=False) == 0
    if action == "stop" and running:
        run(f"{pg_ctl} -w -t 60 -m fast stop")
    elif action == "start" and not running:
        run(f"{pg_ctl} -l {state}/server.log -w -t 60 -o '{options}' start")


@pytest.fixture
def stopped_server() -> Iterator[Any]:
    """Stop the test server (and start it again, whatever the test did)."""
    try:
        yield _pg_ctl
    finally:
        _pg_ctl("start")


@pytest.mark.postgresql
def test_an_edit_while_the_server_is_stopped_gets_a_plain_message(
        books: Books, stopped_server: Any) -> None:
    line = payments.create(books.db, books.company_id, books.journal_id, PaymentCreate(
        customer_number="C1", amount=Decimal("-5.00")))
    stopped_server("stop")
    with pytest.raises(ServerUnavailable) as gone:
        payments.update(books.db, books.company_id, line.id,
                        PaymentUpdate(description="while away"), version=line.version)
    assert "cannot be reached" in gone.value.message
    stopped_server("start")
    # Back: the pool checks its connections first (pool_pre_ping) and the edit goes through.
    edited = payments.update(books.db, books.company_id, line.id,
                             PaymentUpdate(description="back"), version=line.version)
    assert edited.description == "back" and edited.version == line.version + 1


# --- roles ------------------------------------------------------------------------------------

def _login(pg_url: str, user: str, group: str) -> str:
    from app.db.server import create_server_engine

    engine = create_server_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') "
                f"THEN CREATE ROLE {user} LOGIN; END IF; END $$"))
            conn.execute(text(f"GRANT {group} TO {user}"))
    finally:
        engine.dispose()
    return make_url(pg_url).set(username=user).render_as_string(hide_password=False)


@pytest.mark.postgresql
def test_a_clerk_enters_lines_but_the_server_refuses_its_posting(
        books: Books, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    url = books.db.engine.url.render_as_string(hide_password=False)
    assert main(["db", "roles", "--db", url]) == 0
    assert "ledgerdesk_clerk" in capsys.readouterr().out
    clerk = open_database(_login(url, "ld_test_clerk", "ledgerdesk_clerk"))
    reader = open_database(_login(url, "ld_test_reader", "ledgerdesk_reader"))
    try:
        line = payments.create(clerk, books.company_id, books.journal_id, PaymentCreate(
            customer_number="C1", amount=Decimal("-7.00"), document_number="CL1"))
        assert users.of_database(clerk) == "ld_test_clerk"
        with clerk.reading() as session:
            assert session.scalar(select(Payment.user_id).where(Payment.id == line.id)) \
                == "ld_test_clerk"
        before = snapshot(books.db)
        with pytest.raises(NoPermission) as refused:
            posting.post(clerk, books.company_id, books.journal_id)
        assert refused.value.message == "Your role may enter lines but not post."
        assert snapshot(books.db) == before
        with pytest.raises(NoPermission):
            payments.create(reader, books.company_id, books.journal_id, PaymentCreate(
                customer_number="C1", amount=Decimal("-1.00")))
        assert snapshot(books.db) == before
        assert len(payments.list_all(reader, books.company_id, books.journal_id)) == 1
    finally:
        clerk.close()
        reader.close()
    # The accountant (here the owner) posts the clerk's line.
    assert posting.post(books.db, books.company_id, books.journal_id).number == 1
