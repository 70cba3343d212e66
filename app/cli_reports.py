"""`python -m app report NAME [options] [-o FILE]`: the reports on the command line.

The format follows the file's extension (.xlsx, .csv, .pdf, .txt); without -o an aligned
table is printed; `-o -` writes to standard output (CSV unless --format says otherwise)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.domain.errors import Invalid


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def register(commands: Any, add_db: Any, add_company: Any) -> None:
    from app.io.reports.run import REPORTS

    report = commands.add_parser(
        "report", help="print a report or write it as XLSX, CSV or PDF",
        description="Reports: trial-balance, aged-receivables (BC report 120), statement "
                    "(BC report 1316), customer-balances. The format follows the -o file's "
                    "extension; without -o an aligned table is printed.")
    report.add_argument("name", metavar="NAME", choices=REPORTS, help=" | ".join(REPORTS))
    add_db(report)
    add_company(report)
    report.add_argument("-o", "--output", metavar="FILE",
                        help="file to write (.xlsx .csv .pdf .txt; - for standard output)")
    report.add_argument("--format", choices=("text", "csv", "xlsx", "pdf"),
                        help="the format, when the file's extension does not say it")
    report.add_argument("--as-of", type=_date, metavar="DATE", help="aged as of / balance at")
    report.add_argument("--from", dest="start", type=_date, metavar="DATE",
                        help="start of the period")
    report.add_argument("--to", dest="end", type=_date, metavar="DATE", help="end of the period")
    report.add_argument("--aging-by", choices=("due", "posting", "document"), default="due")
    report.add_argument("--period", default="30D", metavar="FORMULA",
                        help="period length: a date formula such as 30D, 1M, 1M+CM")
    report.add_argument("--customer", metavar="NO", help="one customer (by number)")
    report.add_argument("--style", choices=("balance", "open-items"), default="balance",
                        help="statement style")
    report.add_argument("--details", action="store_true",
                        help="aged receivables: one line per open entry")
    report.add_argument("--aging-band", metavar="FORMULA",
                        help="statement: an aging band, such as 30D or 1M+CM")
    report.add_argument("--show-overdue", action="store_true",
                        help="statement: list each customer's entries overdue at the end date")
    report.add_argument("--include-reversed", action="store_true",
                        help="statement: include reversed entries and their reversals")
    report.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    import sys

    from app.cli_common import EXIT_OK
    from app.cli_common import company_id as _company_id
    from app.cli_common import existing_db as _existing_db
    from app.io.reports import writers
    from app.io.reports.run import ReportOptions, run

    if args.start and args.end and args.start > args.end:
        raise Invalid(f"--from {args.start} is after --to {args.end}.", field="startDate")
    db = _existing_db(args)
    try:
        company_id = _company_id(db, args.company)
        _, table = run(db, company_id, args.name, ReportOptions(
            as_of=args.as_of, start=args.start, end=args.end, aging_by=args.aging_by,
            period=args.period, customer=args.customer, style=args.style,
            details=args.details, aging_band=args.aging_band,
            show_overdue=args.show_overdue, include_reversed=args.include_reversed))
    finally:
        db.close()
    if args.output is None:
        if args.format not in (None, "text"):
            raise Invalid("Give a file with -o (or -o - for standard output) to write "
                          f"{args.format}.", field="output")
        sys.stdout.write(writers.to_text(table))
        return EXIT_OK
    fmt = args.format or (None if args.output != "-" else "csv")
    written = writers.write(table, args.output, fmt)
    if args.output != "-":
        print(f"Wrote {table.title} ({len(table.rows)} rows, {written}) to {args.output}.",
              file=sys.stderr)
    return EXIT_OK
