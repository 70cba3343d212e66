"""Every table model passes Qt's model tester, lazily paged and after sort and filter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from app.db import Database
from app.domain.schemas import CompanyRead, PaymentCreate
from app.services import journals, payments
from app.services.browse import BrowseQuery
from app.ui.models import tables
from app.ui.models.lazy import LazyTableModel


def _models(db: Database, demo: CompanyRead) -> list[LazyTableModel]:  # type: ignore[type-arg]
    scope = BrowseQuery(company_id=demo.id)
    made: list[LazyTableModel] = []  # type: ignore[type-arg]
    for model, query in ((tables.CompaniesModel(), BrowseQuery()),
                         (tables.JournalsModel(), scope),
                         (tables.CustomersModel(), scope),
                         (tables.AccountsModel(), scope),
                         (tables.InvoicesModel(), BrowseQuery(company_id=demo.id,
                                                              open_only=True))):
        model.set_query(db, query)
        made.append(model)
    bank = journals.find_by_code(db, demo.id, "BANK")
    lines = tables.PaymentsModel()
    lines.set_journal(db, demo.id, bank.id)
    made.append(lines)
    return made


@pytest.mark.parametrize("sort_and_filter", [False, True])
def test_every_model_passes_the_model_tester(qtmodeltester: ModelTester, db: Database,
                                             demo: CompanyRead, sort_and_filter: bool) -> None:
    for model in _models(db, demo):
        assert model.rowCount() > 0
        if sort_and_filter:
            sortable = [c for c, spec in enumerate(model.columns) if spec.sort_key]
            model.sort(sortable[-1], Qt.SortOrder.DescendingOrder)
            model.set_filter_text("c")
        qtmodeltester.check(model, force_py=False)


def test_small_pages_cache_and_drop(db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    for n in range(30):
        payments.create(db, demo.id, bank.id, PaymentCreate(
            customer_number="C10000", amount=Decimal(-n - 1)))
    model = tables.PaymentsModel()
    model.PAGE_SIZE, model.MAX_PAGES = 5, 2
    model.set_journal(db, demo.id, bank.id)
    assert model.rowCount() == 37
    last = model.index(36, model.column_of("lineNumber"))
    assert model.data(last) == "370,000"
    assert model.data(model.index(0, model.column_of("lineNumber"))) == "10,000"
    model.row_at(20)
    assert len(model._pages) == 2  # the LRU keeps at most MAX_PAGES pages
    assert model.rowCount(model.index(0, 0)) == 0


def test_amounts_are_locale_formatted_right_aligned_and_red_when_negative(
        db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    payments.create(db, demo.id, bank.id, PaymentCreate(customer_number="C10000",
                                                        amount=Decimal("-1234567.5")))
    model = tables.PaymentsModel()
    model.set_journal(db, demo.id, bank.id)
    amount = model.index(7, model.column_of("amount"))
    received = model.index(7, model.column_of("amountReceived"))
    assert model.data(amount) == "-1,234,567.50"
    assert model.data(received) == "1,234,567.50"
    assert model.data(amount, Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight)
    assert model.data(amount, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(received, Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(7, model.column_of("postingDate"))) == "11/20/2026"
    assert not model.flags(model.index(7, model.column_of("customerName"))) & \
        Qt.ItemFlag.ItemIsEditable
    assert model.flags(amount) & Qt.ItemFlag.ItemIsEditable


def test_credit_column_sorts_by_amount_the_other_way(db: Database, demo: CompanyRead) -> None:
    model = _models(db, demo)[-1]
    model.sort(model.column_of("amountReceived"), Qt.SortOrder.AscendingOrder)
    assert model.query is not None and model.query.sort == "amount"
    assert model.query.descending
    received = [model.row_at(r).amount for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert received == sorted(received, reverse=True)
    before = model.query
    model.sort(model.column_of("comment"), Qt.SortOrder.AscendingOrder)  # not sortable
    assert model.query == before


def test_refresh_sees_new_lines(db: Database, demo: CompanyRead) -> None:
    model = _models(db, demo)[-1]
    assert model.rowCount() == 7
    bank = journals.find_by_code(db, demo.id, "BANK")
    payments.create(db, demo.id, bank.id, PaymentCreate(customer_number="C10000"))
    assert model.rowCount() == 7  # cached until told
    model.refresh()
    assert model.rowCount() == 8
    assert model.data(QModelIndex()) is None
