"""``python -m app db ...``: schema, copies and roles of a database (a server's above all).

    python -m app db upgrade --db URL          create or migrate the schema (advisory lock)
    python -m app db copy --from SRC --to DST  copy every company into a new, empty database
    python -m app db roles --db URL            create the reader, clerk and accountant roles

Passwords never appear on the command line: libpq takes them from ``.pgpass``,
``PGPASSWORD`` or a service file, and every URL printed hides a password.
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK = 0


def register(commands: Any) -> None:
    """Add the ``db`` command to the CLI's subparsers."""
    parser = commands.add_parser(
        "db", help="database administration: upgrade the schema, copy books, create roles",
        description="Work on a database itself (a PostgreSQL server above all): see "
                    "docs/postgresql.md.")
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True,
                                    parser_class=type(parser))

    upgrade = actions.add_parser(
        "upgrade", help="create or migrate the schema to this version's (under a lock)")
    upgrade.add_argument("--db", metavar="URL", required=True,
                         help="database URL or file (postgresql+psycopg://user@host/name)")
    upgrade.set_defaults(handler=_cmd_upgrade)

    copy = actions.add_parser(
        "copy", help="copy every company with its ledgers into a new, empty database")
    copy.add_argument("--from", dest="source", metavar="SRC", required=True,
                      help="the database to copy (file or URL)")
    copy.add_argument("--to", dest="target", metavar="DST", required=True,
                      help="a new file or an empty server database")
    copy.set_defaults(handler=_cmd_copy)

    roles = actions.add_parser(
        "roles", help="create the ledgerdesk_reader, _clerk and _accountant roles (PostgreSQL)")
    roles.add_argument("--db", metavar="URL", required=True, help="the server database")
    roles.set_defaults(handler=_cmd_roles)


def _cmd_upgrade(args: argparse.Namespace) -> int:
    from app.db import server

    handle = server.open_for_upgrade(args.db)
    try:
        before, after = server.upgrade(handle)
    finally:
        handle.close()
    if before == after:
        print(f"{handle.url} is at schema {after}: nothing to do.")
    else:
        print(f"{handle.url}: schema {before or 'none'} -> {after}.")
    return EXIT_OK


def _cmd_copy(args: argparse.Namespace) -> int:
    from app.db.copying import copy_books

    result = copy_books(args.source, args.target)
    print(f"Copied {result.companies} companies ({result.rows} rows in "
          f"{len(result.tables)} tables) from {result.source} to {result.target}; counts and "
          "totals verified.")
    return EXIT_OK


def _cmd_roles(args: argparse.Namespace) -> int:
    from app.db import roles, server

    handle = server.open_for_upgrade(args.db)
    try:
        created = roles.create_roles(handle)
    finally:
        handle.close()
    for line in created:
        print(line)
    return EXIT_OK
