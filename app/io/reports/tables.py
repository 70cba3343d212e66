"""Report read models (app/domain/report_schemas.py) as ``ReportTable``s."""

from __future__ import annotations

from typing import Any

from app.domain.report_schemas import (
    AgedReceivables,
    CustomerBalances,
    Statements,
    TrialBalance,
)
from app.io.reports.table import Column, ReportTable, Row

AGING_BY_TITLE = {"due": "Due Date", "posting": "Posting Date", "document": "Document Date"}


def trial_balance(report: TrialBalance) -> ReportTable:
    period = (f"{report.start.isoformat()}..{report.end.isoformat()}" if report.start
              else f"up to {report.end.isoformat()}")
    table = ReportTable(
        report.company_name, "Trial Balance",
        [Column("No."), Column("Name"), Column("Net Change Debit", "amount"),
         Column("Net Change Credit", "amount"), Column("Net Change", "amount"),
         Column("Balance at Date", "amount")],
        options=[("Period", period)])
    for line in report.lines:
        if line.kind in ("heading", "begin"):
            table.rows.append(Row((line.number, line.name, None, None, None, None), "heading",
                                  line.indentation))
        else:
            table.rows.append(Row((line.number, line.name, line.debit, line.credit,
                                   line.net_change, line.balance),
                                  "data" if line.kind == "posting" else "total",
                                  line.indentation))
    table.rows.append(Row(("", "Total", report.total_debit, report.total_credit,
                           report.total_debit - report.total_credit, report.total_balance),
                          "total"))
    return table


def aged_receivables(report: AgedReceivables) -> ReportTable:
    titles = report.period_titles
    if report.details:
        columns = [Column("No."), Column("Name / Document"), Column("Posting Date", "date"),
                   Column("Due Date", "date")]
    else:
        columns = [Column("No."), Column("Name")]
    columns += [Column(t, "amount") for t in titles] + [Column("Balance Due", "amount")]
    table = ReportTable(
        report.company_name, "Aged Accounts Receivable", columns,
        options=[("Aged as of", report.aged_as_of_date.isoformat()),
                 ("Aging by", AGING_BY_TITLE[report.aging_by]),
                 ("Period length", report.period_length_filter),
                 ("Details", "yes" if report.details else "no")])
    blank: tuple[Any, ...] = (None, None) if report.details else ()
    for customer in report.customers:
        if report.details:
            table.rows.append(Row((customer.customer_number, customer.name, None, None,
                                   *([None] * len(titles)), None), "group",
                                  customer_number=customer.customer_number))
            for entry in customer.entries:
                amounts: list[Any] = [None] * len(titles)
                amounts[entry.bucket] = entry.remaining_amount
                table.rows.append(Row(("", f"{entry.document_type} {entry.document_number}",
                                       entry.posting_date, entry.due_date, *amounts,
                                       entry.remaining_amount), "data", 1,
                                      document_number=entry.document_number,
                                      customer_number=customer.customer_number))
            table.rows.append(Row(("", f"Total {customer.customer_number}", *blank,
                                   *customer.amounts, customer.balance_due), "total"))
        else:
            table.rows.append(Row((customer.customer_number, customer.name, *customer.amounts,
                                   customer.balance_due),
                                  customer_number=customer.customer_number))
    table.rows.append(Row(("", "Total", *blank, *report.totals, report.total_balance_due),
                          "total"))
    return table


def statements(report: Statements) -> ReportTable:
    open_items = report.style == "open-items"
    columns = [Column("Date", "date"), Column("Document Type"), Column("Document No."),
               Column("Description"), Column("Due Date", "date"), Column("Amount", "amount")]
    if open_items:
        columns.append(Column("Remaining Amount", "amount"))
    columns.append(Column("Balance", "amount"))
    table = ReportTable(
        report.company_name, "Customer Statement", columns,
        options=[("Period", f"{report.start.isoformat()}..{report.end.isoformat()}"),
                 ("Style", "Open Items" if open_items else "Balance"),
                 ("Show overdue entries", "yes" if report.show_overdue else "no"),
                 ("Include reversed entries", "yes" if report.include_reversed else "no")])
    extra: tuple[Any, ...] = (None,) if open_items else ()
    for statement in report.statements:
        table.rows.append(Row((None, statement.customer_number, "", statement.name,
                               None, None, *extra, None), "group",
                              customer_number=statement.customer_number))
        if statement.address:
            table.rows.append(Row((None, "", "", statement.address, None, None, *extra, None)))
        table.rows.append(Row((report.start, "", "", "Balance at start" if not open_items else
                               "Open before the start", None, None, *extra,
                               statement.opening_balance)))
        for row in statement.rows:
            remaining = (row.remaining_amount,) if open_items else ()
            table.rows.append(Row((row.posting_date, row.document_type, row.document_number,
                                   row.description, row.due_date, row.amount, *remaining,
                                   row.balance),
                                  document_number=row.document_number or None,
                                  customer_number=statement.customer_number))
        table.rows.append(Row((report.end, "", "", f"Balance {statement.customer_number}",
                               None, None, *extra, statement.closing_balance), "total"))
        if statement.aging:
            cells = "   ".join(f"{title}: {amount:,.2f}" for title, amount in
                               zip(statement.aging_titles, statement.aging, strict=True))
            table.rows.append(Row((None, "Aging", "", cells, None, None, *extra, None)))
        if report.show_overdue:
            table.rows.append(Row((None, "", "", f"Overdue entries {statement.customer_number}",
                                   None, None, *extra, None), "heading",
                                  customer_number=statement.customer_number))
            for entry in statement.overdue:
                # Amount, then what was still open at the ending date (in the last column).
                table.rows.append(Row((entry.posting_date, entry.document_type,
                                       entry.document_number, entry.description,
                                       entry.due_date, entry.amount, *extra,
                                       entry.remaining_amount), "data", 1,
                                      document_number=entry.document_number or None,
                                      customer_number=statement.customer_number))
    return table


def customer_balances(report: CustomerBalances) -> ReportTable:
    table = ReportTable(
        report.company_name, "Customer Balances",
        [Column("No."), Column("Name"), Column("Balance", "amount"),
         Column("Overdue", "amount")],
        options=[("As of", report.as_of.isoformat())])
    table.rows.extend(Row((line.customer_number, line.name, line.balance, line.overdue),
                          customer_number=line.customer_number)
                      for line in report.lines)
    table.rows.append(Row(("", "Total", report.total, report.total_overdue), "total"))
    return table
