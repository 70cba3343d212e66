"""Command line: ``python -m app`` starts the GUI; subcommands work on the database directly.

Every command exits non-zero with a one-line reason on bad arguments or bad files, never
with a traceback. The GUI and its Qt imports are loaded only when the GUI is wanted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app import APP_NAME, __version__
from app.cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    open_db,
)
from app.cli_common import add_company_option as _add_company_option
from app.cli_common import add_db_option as _add_db_option
from app.cli_common import company_id as _company_id
from app.cli_common import existing_db as _existing_db

if TYPE_CHECKING:
    pass



class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ledgerdesk" if Path(sys.argv[0]).stem == "ledgerdesk" else "python -m app",
        description=f"{APP_NAME} {__version__}: customer payment journals in the Business "
                    "Central model. Without a command, the application window opens.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    _add_db_option(parser, sub=False)
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

    post = commands.add_parser(
        "post", help="post a customer payment journal (or --preview what posting would write)")
    _add_db_option(post)
    _add_company_option(post)
    post.add_argument("journal", metavar="JOURNAL", help="journal code, e.g. BANK")
    post.add_argument("--preview", action="store_true",
                      help="show the entries posting would write; write nothing")
    post.add_argument("--test-report", action="store_true",
                      help="list every problem of the journal by line; write nothing")
    post.set_defaults(handler=_cmd_post)

    reverse = commands.add_parser(
        "reverse", help="reverse a posted G/L register (new entries with opposite signs)")
    _add_db_option(reverse)
    _add_company_option(reverse)
    reverse.add_argument("register", metavar="REGISTER", type=int,
                         help="G/L register number")
    reverse.set_defaults(handler=_cmd_reverse)

    export = commands.add_parser(
        "export", help="write a company's payment journals (with their lines) as JSON",
        description="Write the company's customer payment journals with their lines as "
                    'Business Central JSON ({"value": [...]}), plus the accounts, number series, '
                    "customers and sales invoices they need (see docs/json-format.md).")
    _add_company_option(export)
    _add_db_option(export)
    export.add_argument("-o", "--output", metavar="FILE",
                        help="file to write, or - for standard output (the default); a "
                             "link, a device or a pipe is refused, never replaced")
    export.add_argument("--journals-only", action="store_true",
                        help='write only {"value": [journals...]}, without the master data')
    export.set_defaults(handler=_cmd_export)

    do_import = commands.add_parser(
        "import", help="read payment journals (with their lines) from a JSON file",
        description="Read a file in the export's shape into a company: every record is checked "
                    "first, and nothing is written if any is wrong.")
    do_import.add_argument("file", metavar="FILE", help="the file to read")
    _add_company_option(do_import)
    _add_db_option(do_import)
    do_import.add_argument("--create", action="store_true",
                           help="create the company (named by --company) if it does not exist")
    do_import.add_argument("--format", choices=("json", "csv", "xlsx"), default="json",
                           help="json (default), or csv/xlsx: customers and open invoices "
                                "read through --mapping")
    do_import.add_argument("--mapping", metavar="FILE",
                           help="for csv/xlsx: the JSON file mapping properties to columns")
    do_import.set_defaults(handler=_cmd_import)

    _register_serve(commands)
    from app import cli_bank

    cli_bank.register(commands, _add_db_option, _add_company_option)
    from app import cli_db

    cli_db.register(commands)  # python -m app db upgrade|copy|roles
    _register_report(commands)
    return parser


def _register_report(commands: Any) -> None:
    from app.cli_reports import register

    register(commands, _add_db_option, _add_company_option)


def _register_serve(commands: Any) -> None:
    from app.api.server import register

    register(commands)


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


def _cmd_post(args: argparse.Namespace) -> int:
    from app.services import journals, posting

    db = _existing_db(args)
    try:
        company_id = _company_id(db, args.company)
        journal = journals.find_by_code(db, company_id, args.journal)
        if args.test_report:
            problems = posting.test_report(db, company_id, journal.id)
            for problem in problems:
                print(problem.text())
            if problems:
                return EXIT_FAILED
            print(f"Journal {journal.code}: no problems.")
            return EXIT_OK
        if args.preview:
            preview = posting.preview(db, company_id, journal.id)
            print(f"Preview of posting journal {preview.journal_code} "
                  f"(nothing has been posted): {preview.lines_posted} lines")
            for count in preview.counts:
                print(f"  {count.table:<28}{count.count:>10}")
            print(f"  {'Total debit / credit':<28}{preview.total_debit:>16,.2f}"
                  f"{preview.total_credit:>16,.2f}")
            shown = preview.gl_entries[:20]
            print("G/L entries:")
            for e in shown:
                print(f"  {e.entry_number:>8} {e.posting_date} {e.document_number:<12} "
                      f"{e.account_number:<8} {e.amount:>16,.2f}  {e.description}")
            if len(preview.gl_entries) > len(shown):
                print(f"  ... and {len(preview.gl_entries) - len(shown)} more")
            return EXIT_OK
        register = posting.post(db, company_id, journal.id)
        print(_register_text(register))
    finally:
        db.close()
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from app.io import json_io, safe_write

    target = args.output or safe_write.STDOUT
    if target != safe_write.STDOUT:
        safe_write.check_target(target)  # a link, a device or a folder: refused at once
    db = _existing_db(args)
    try:
        company_id = _company_id(db, args.company)
        text = json_io.dumps(json_io.export_document(db, company_id,
                                                     journals_only=args.journals_only))
        safe_write.write_text(target, text)
    finally:
        db.close()
    return EXIT_OK


def _register_text(register: Any) -> str:
    cust = (f", customer entries {register.from_cust_entry_number}.."
            f"{register.to_cust_entry_number}" if register.from_cust_entry_number else "")
    return (f"G/L Register {register.number} ({register.source_code}, journal "
            f"{register.journal_code}): G/L entries {register.from_entry_number}.."
            f"{register.to_entry_number}{cust}; debit {register.total_debit:,.2f}, credit "
            f"{register.total_credit:,.2f}")


def _cmd_reverse(args: argparse.Namespace) -> int:
    from app.services import posting

    db = _existing_db(args)
    try:
        result = posting.reverse(db, _company_id(db, args.company), args.register)
        print(f"Reversed G/L Register {result.reversed_register_number}; "
              f"{result.reopened_entries} entries reopened.")
        print(_register_text(result.reversal))
    finally:
        db.close()
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from app.domain.errors import Invalid
    from app.domain.schemas import CompanyCreate
    from app.domain.validation import parse
    from app.io import json_io
    from app.services import companies

    path = Path(args.file)
    tabular = args.format in ("csv", "xlsx")
    if tabular:
        from app.io import table_io

        if not args.mapping:
            raise Invalid(f"--format {args.format} needs --mapping FILE: which column holds "
                          "which property.", field="mapping")
        mapping = table_io.read_mapping(Path(args.mapping))
    else:
        text = json_io.read_text(path)  # a file that cannot be read: refused before the db
    db = open_db(args) if args.create else _existing_db(args)
    try:
        new_company = None
        company_id = None
        if args.create and not args.company and not companies.list_all(db):
            raise Invalid("--create needs --company NAME: the name of the company to create.",
                          field="company")
        if args.create and args.company and not any(
                args.company.strip().casefold() in (c.name.casefold(), str(c.id))
                for c in companies.list_all(db)):
            new_company = parse(CompanyCreate, {"name": args.company})
        else:
            company_id = _company_id(db, args.company)
        if tabular:
            summary = table_io.import_table(db, path, args.format, mapping,
                                            company_id=company_id, new_company=new_company)
        else:
            summary = json_io.import_text(db, text, company_id=company_id,
                                          new_company=new_company, what=str(path))
        print(summary.line())
    finally:
        db.close()
    return EXIT_OK


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
    """One line on stderr for the user's mistakes and the environment's problems (classified
    once, in app/db/errors.py); a bug is raised on, so its traceback shows."""
    from app.db.errors import classify
    from app.domain.errors import DomainError

    typed = exc if isinstance(exc, DomainError) else classify(exc)
    if typed is not None:
        print(f"error: {typed.message}", file=sys.stderr)
        for extra in typed.errors[1:]:
            print(f"error: {extra.message}", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(exc, OSError):  # a file named on the command line: missing, a folder...
        reason = exc.strerror or str(exc)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{reason}", file=sys.stderr)
        return EXIT_FAILED
    raise exc
