"""Entry point of the frozen app: the same as ``python -m app`` (app/__main__.py)."""

from app.cli import main

raise SystemExit(main())
