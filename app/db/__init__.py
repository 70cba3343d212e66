"""Persistence: SQLAlchemy models, the database handle, Alembic migrations."""

from app.db.database import Database, DatabaseFileError, open_database

__all__ = ["Database", "DatabaseFileError", "open_database"]
