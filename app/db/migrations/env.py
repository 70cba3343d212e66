"""Alembic environment: runs on the connection the app hands over (see __init__.upgrade)."""

from alembic import context

from app.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the app drives migrations
    raise RuntimeError("Run migrations through app.db.open_database or app.db.migrations.upgrade")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
