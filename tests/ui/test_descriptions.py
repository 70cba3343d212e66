"""Each resource is described once (app/ui/descriptions.py): the undo steps, the forms, the
lists' columns and the menus take their words from that description, so they cannot
disagree."""

from __future__ import annotations

import pytest

from app.ui.descriptions import DESCRIPTIONS
from app.ui.dialogs.specs import FORMS
from app.ui.main_window import MainWindow
from app.ui.models import tables
from app.ui.resources import RESOURCES

MODELS = {"company": tables.CompaniesModel, "journal": tables.JournalsModel,
          "customer": tables.CustomersModel, "account": tables.AccountsModel,
          "invoice": tables.InvoicesModel, "payment": tables.PaymentsModel}


@pytest.mark.parametrize("kind", sorted(DESCRIPTIONS))
def test_steps_forms_and_columns_use_the_one_description(kind: str, qtbot: object) -> None:
    description = DESCRIPTIONS[kind]
    resource, form = RESOURCES[kind], FORMS[kind]
    assert resource.description is description
    assert resource.label == form.label == description.label
    assert form.key is description.key
    for spec in form.fields:
        assert spec.label == description.field_label(spec.name)
    model = MODELS[kind]()
    for column in model.columns:
        assert column.header == description.title(column.key)


def test_the_payment_line_is_named_alike_everywhere(window: MainWindow) -> None:
    """A step reads "New Payment Line 10000"; the menus say "Line", from the same entry."""
    payment = DESCRIPTIONS["payment"]
    assert (payment.label, payment.menu_label) == ("Payment Line", "Line")
    assert window.editing.edit_actions["payment"].text() == f"&Edit {payment.menu_label}…"
    assert window.editing.new_actions["journal"].objectName() == "actionNewJournal"
    assert window.editing.edit_actions["payment"].objectName() == "actionEditLine"
    assert window.model_of("paymentsView").headerData(0, tables.Qt.Orientation.Horizontal) \
        == payment.title("lineNumber")


def test_a_label_inside_a_sentence_keeps_its_abbreviations() -> None:
    assert DESCRIPTIONS["account"].in_sentence == "G/L account"
    assert DESCRIPTIONS["invoice"].in_sentence == "sales invoice"
    assert DESCRIPTIONS["journal"].field_label("balancingAccountNumber") == "Bal. account no."
    assert DESCRIPTIONS["company"].field_label("businessProfileId") == "Business profile ID"
