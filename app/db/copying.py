"""Moving books between databases: a file to a server and back (``python -m app db copy``).

Every table the models know is copied row for row, ids and versions as they are, into a
target that holds no books yet (a new file, an empty server database, or one at this
version's schema with no company), in one transaction on the target. Before it commits,
the copy counts every table's rows and sums every money column on both sides: any
difference rolls the whole copy back. A file the copy created is deleted on failure, so
nothing is left behind. The change log is not copied (it is what other clients of the source
saw); the target starts a log of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text, update

from app.db.database import Database, DatabaseFileError, open_database
from app.db.models import Base, Money

BATCH = 5000
SKIPPED = frozenset({"change_log"})


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    totals: tuple[Decimal, ...]


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    tables: tuple[TableCopy, ...]

    @property
    def companies(self) -> int:
        return next((t.rows for t in self.tables if t.name == "company"), 0)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]


def _money_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if isinstance(c.type, Money)]


def _fingerprint(conn: Connection, table: Table) -> TableCopy:
    money = _money_columns(table)
    row = conn.execute(select(func.count(), *(func.coalesce(func.sum(c.expression), 0)
                                              for c in money)).select_from(table)).one()
    return TableCopy(table.name, int(row[0]), tuple(Decimal(int(v)) / 100 for v in row[1:]))


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _target_is_empty(db: Database) -> bool:
    with db.engine.connect() as conn:
        return all(conn.execute(select(func.count()).select_from(t)).scalar_one() == 0
                   for t in _tables())


def _fresh_target(target: str) -> tuple[Database, Path | None]:
    """Open the target, which must hold no books; returns it and the file the copy made."""
    made: Path | None = None
    if "://" not in target or target.startswith("sqlite"):
        from app.db.database import _url_for

        _url, path = _url_for(target)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                raise DatabaseFileError(f"{path} exists: the copy goes into a new file only.")
            made = path
    try:
        db = open_database(target)
    except BaseException:
        if made is not None:
            made.unlink(missing_ok=True)
        raise
    if not _target_is_empty(db):
        db.close()
        raise DatabaseFileError(f"{db.url} already holds books: the copy goes into an empty "
                                "database only; nothing was copied.")
    return db, made


def copy_books(source: str, target: str, *,
               progress: Callable[[str, int], None] | None = None) -> CopyResult:
    """Copy every company of ``source`` into the new, empty ``target``; verify and commit,
    or leave nothing behind."""
    src = open_database(source)
    made: Path | None = None
    dst: Database | None = None
    try:
        dst, made = _fresh_target(target)
        result = _copy(src, dst, progress or (lambda _name, _rows: None))
    except BaseException:
        if dst is not None:
            dst.close()
            dst = None
        if made is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{made}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        src.close()
        if dst is not None:
            dst.close()
    return result


def _copy(src: Database, dst: Database, progress: Callable[[str, int], None]) -> CopyResult:
    copied: list[TableCopy] = []
    with src.engine.connect() as reader, dst.engine.begin() as writer:
        if not dst.is_sqlite:
            writer.execute(text("SET LOCAL synchronous_commit = on"))
        for table in _tables():
            later = _self_references(table)
            rows = 0
            links: list[dict[str, Any]] = []
            result = reader.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*table.primary_key.columns))
            for chunk in result.mappings().partitions(BATCH):
                batch = [dict(r) for r in chunk]
                if later:  # a row may refer to a later row of its own table: link afterwards
                    for r in batch:
                        if any(r[c] is not None for c in later):
                            links.append({**{c: r[c] for c in later},
                                          "_pk": r[table.primary_key.columns[0].name]})
                            for c in later:
                                r[c] = None
                writer.execute(insert(table), batch)
                rows += len(batch)
            pk = table.primary_key.columns[0]
            for link in links:
                writer.execute(update(table).where(pk == link.pop("_pk")).values(**link))
            if rows and not dst.is_sqlite and pk.autoincrement is True:
                writer.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk.name}'), "
                    f"(SELECT max({pk.name}) FROM {table.name}))"))
            progress(table.name, rows)
            before, after = _fingerprint(reader, table), _fingerprint(writer, table)
            if before != after:
                raise DatabaseFileError(
                    f"The copy of {table.name} does not match its source ({after.rows} rows, "
                    f"totals {after.totals}, not {before.rows} and {before.totals}); nothing "
                    "was copied.")
            copied.append(after)
    return CopyResult(src.url, dst.url, tuple(copied))
