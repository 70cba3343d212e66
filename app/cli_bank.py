"""``python -m app bank-import FILE --journal CODE``: a bank statement into a customer
payment journal, matched to open invoices; prints one summary line. A bad file gets one line
naming where it is bad, a non-zero exit, and nothing written."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(commands: Any, add_db: Callable[[argparse.ArgumentParser], None],
             add_company: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = commands.add_parser(
        "bank-import", help="import a bank statement (CAMT.053, MT940, OFX, CSV) into a "
                            "customer payment journal, matched to open invoices")
    add_db(parser)
    add_company(parser)
    parser.add_argument("file", metavar="FILE", help="the statement file")
    parser.add_argument("--journal", required=True, metavar="CODE",
                        help="customer payment journal code, e.g. BANK")
    parser.add_argument("--format", default="auto",
                        choices=("auto", "camt053", "mt940", "ofx", "csv"),
                        help="file format (default: recognised from the file)")
    parser.add_argument("--profile", metavar="NAME",
                        help="saved CSV mapping profile (default: sniffed from the file)")
    parser.add_argument("--min-confidence", default="high", choices=("high", "medium", "low"),
                        help="apply the lines matched at least this well (default: high)")
    parser.add_argument("--dry-run", action="store_true",
                        help="read, match and check everything; write nothing")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.cli_common import EXIT_OK
    from app.cli_common import company_id as _company_id
    from app.cli_common import existing_db as _existing_db
    from app.domain.bank_matching import Confidence
    from app.io.bank import BankFileError, CsvProfile, read_file, read_statement
    from app.services import bank_accounts, bank_import

    path = Path(args.file)
    data = read_file(path)
    db = _existing_db(args)
    try:
        company_id = _company_id(db, args.company)
        journal_id = bank_import.journal_by_code(db, company_id, args.journal)
        profile = None
        if args.profile:
            profile = CsvProfile.from_json(bank_accounts.csv_profile(db, company_id,
                                                                     args.profile))
        try:
            statement = read_statement(data, args.format, profile=profile)
        except BankFileError as exc:
            raise BankFileError(f"{path}: {exc.message}") from None
        result = bank_import.import_statement(
            db, company_id, journal_id, statement,
            min_confidence=Confidence.parse(args.min_confidence), dry_run=args.dry_run)
        print(result.line())
    finally:
        db.close()
    return EXIT_OK
