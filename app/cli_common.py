"""What every subcommand shares: exit codes, the --db and --company options, opening the
books they name. Its own module so that subcommands registered from their packages (the
API's ``serve``, ``bank-import``, ``db``) use them without importing app.cli (a cycle)."""

from __future__ import annotations

import argparse
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.db import Database

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_db_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # On a subcommand the default is SUPPRESS, so `python -m app --db X demo` keeps X
    # (argparse would otherwise overwrite it with the subcommand's own default, None).
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS if sub else None,
                        help="database file or SQLAlchemy URL (default: the user data folder)")


def add_company_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--company", metavar="NAME",
                        help="company name or id; may be left out when the database holds one")


def open_db(args: argparse.Namespace) -> Database:
    """The database named by --db, else the default one in the user data folder."""
    from app import paths
    from app.db import open_database

    return open_database(args.db or paths.default_database())


def existing_db(args: argparse.Namespace) -> Database:
    """Open a database that must already exist (export, post, reverse, import into a
    company): nothing is created, not even a folder."""
    from app import paths
    from app.db import open_database

    return open_database(args.db or paths.default_database(), create=False)


def company_id(db: Database, name_or_id: str | None) -> uuid.UUID:
    from app.services import companies

    return (companies.find(db, name_or_id) if name_or_id else companies.the_only(db)).id
