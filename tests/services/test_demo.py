"""The demo company's customers: email domains from the first word of the name."""

from __future__ import annotations

from app.db import Database
from app.domain.schemas import CompanyRead
from app.services import customers
from app.services.demo import email_domain


def test_email_domain_is_the_first_word_in_lowercase_letters() -> None:
    assert email_domain("School of Fine Art") == "school"
    assert email_domain("Margie's Travel") == "margies"
    assert email_domain("Fabrikam Inc.") == "fabrikam"
    assert email_domain("Relecloud") == "relecloud"


def test_demo_customers_have_proper_emails(db: Database, demo: CompanyRead) -> None:
    emails = {c.display_name: c.email for c in customers.list_all(db, demo.id)}
    assert emails["School of Fine Art"] == "ap@school.example"
    assert emails["Margie's Travel"] == "ap@margies.example"
    assert all(e.startswith("ap@") and e.endswith(".example") for e in emails.values())
