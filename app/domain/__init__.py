"""Pure domain layer: schemas, money, business rules and errors. No Qt, no SQLAlchemy."""
