"""Index audit: which index each SQL statement of a test run searches with (SQLite).

A pytest plugin. Every distinct SELECT/INSERT/UPDATE/DELETE the code under test runs on
SQLite is put through ``EXPLAIN QUERY PLAN`` on the same connection, with the same
parameters, and each index the plan names is recorded with the statements that use it::

    PYTHONPATH=$PWD:$PWD/benchmarks QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest \
        -q -p no:cacheprovider -p index_audit -m "not slow" tests/services tests/api tests/db
    .venv/bin/python benchmarks/index_audit.py            # the report

The result (``INDEX_AUDIT_OUT``, /tmp/index_audit.json by default) maps an index name to
the statements whose plan uses it; the report lists every index of app/db/models.py with
its count, and the ones no statement used. Foreign-key checks (a parent's DELETE probing
its children's index) show in the parent's DELETE plan. The audit is in
benchmarks/README.md ("Index audit").
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

OUT = Path(os.environ.get("INDEX_AUDIT_OUT", "/tmp/index_audit.json"))
_USED: dict[str, set[str]] = defaultdict(set)
_SEEN: set[str] = set()
_INDEX = re.compile(r"USING (?:COVERING )?INDEX (\S+)")


def _spy(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
         executemany: bool) -> None:
    if conn.dialect.name != "sqlite" or statement in _SEEN:
        return
    if not statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH",
                                                   "INSERT")):
        return
    if executemany:
        parameters = parameters[0] if parameters else ()
    try:
        rows = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement,
                                         parameters or ()).fetchall()
    except Exception:
        return
    _SEEN.add(statement)
    for row in rows:
        for name in _INDEX.findall(row[-1]):
            _USED[name].add(" ".join(statement.split())[:300])


def pytest_configure(config: Any) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "before_cursor_execute", _spy)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    old: dict[str, list[str]] = json.loads(OUT.read_text()) if OUT.exists() else {}
    for name, statements in _USED.items():
        old[name] = sorted(set(old.get(name, [])) | statements)
    OUT.write_text(json.dumps(old, indent=1))


def _model_indexes() -> list[tuple[str, str, str]]:
    """(table, index or constraint, columns) of every index and unique constraint."""
    from sqlalchemy import UniqueConstraint

    from app.db.models import Base

    found = []
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            found.append((table.name, str(index.name),
                          ", ".join(c.name for c in index.columns)))
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                found.append((table.name, "unique",
                              ", ".join(c.name for c in constraint.columns)))
    return found


def main() -> None:
    used = json.loads(OUT.read_text()) if OUT.exists() else {}
    print(f"{len(used)} indexes used by the statements in {OUT}")
    for name in sorted(used):
        print(f"  {name:55} {len(used[name]):4} statements")
    named = {name for _, name, _ in _model_indexes() if name != "unique"}
    unused = sorted(named - set(used))
    print("model indexes no statement used:", ", ".join(unused) or "none")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
