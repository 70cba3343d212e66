"""Command line: ``python -m app`` starts the GUI; subcommands work on the database directly.

Every command exits non-zero with a one-line reason on bad arguments or bad files, never
with a traceback. The GUI and its Qt imports are loaded only when the GUI is wanted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app import APP_NAME, __version__

if TYPE_CHECKING:
    from app.db import Database

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help="database file or SQLAlchemy URL (default: the user data folder)")


def _add_company_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--company", metavar="NAME",
                        help="company name or id; may be left out when the database holds one")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ledgerdesk" if Path(sys.argv[0]).stem == "ledgerdesk" else "python -m app",
        description=f"{APP_NAME} {__version__}: customer payment journals in the Business "
                    "Central model. Without a command, the application window opens.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    _add_db_option(parser)
    parser.add_argument("--demo", action="store_true",
                        help="add the demo company first if the database holds no company")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation on a temporary database (offscreen "
                             "window) and exit: 0 if it works, 1 with the reason if not")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help="create a demo company and print its name")
    _add_db_option(demo)
    demo.add_argument("--name", default=None, help="company name (default: CRONUS Demo)")
    demo.set_defaults(handler=_cmd_demo)

    return parser


def open_db(args: argparse.Namespace) -> Database:
    """The database named by --db, else the default one in the user data folder."""
    from app import paths
    from app.db import open_database

    return open_database(args.db or paths.default_database())


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.services import companies
    from app.services.demo import DEMO_NAME, create_demo_company

    db = open_db(args)
    try:
        base = name = args.name or DEMO_NAME
        taken = {c.name.casefold() for c in companies.list_all(db)}
        suffix = 2
        while name.casefold() in taken:  # a second demo company: "CRONUS Demo 2"
            name, suffix = f"{base} {suffix}", suffix + 1
        company = create_demo_company(db, name)
        print(company.name)
    finally:
        db.close()
    return EXIT_OK


def _cmd_self_test(_args: argparse.Namespace) -> int:
    from app import selftest

    return selftest.run()


def _cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    return run_gui(args.db, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _cmd_gui)
    if args.self_test:
        handler = _cmd_self_test
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # every expected failure becomes one line, never a traceback
        return _report(exc)


def _report(exc: Exception) -> int:
    from app.db import DatabaseFileError
    from app.domain.errors import DomainError

    if isinstance(exc, DomainError):
        print(f"error: {exc.message}", file=sys.stderr)
        for extra in exc.errors[1:]:
            print(f"error: {extra.message}", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(exc, DatabaseFileError | OSError):
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        print(f"error: {where}{reason}", file=sys.stderr)
        return EXIT_FAILED
    raise exc
