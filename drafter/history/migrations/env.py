"""Alembic's environment for the history: always run in-process by drafter.history.migrate,
which hands over an open connection (so SQLite and PostgreSQL take the same path and no
``alembic.ini`` or URL is read from anywhere else)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from drafter.history.schema import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("drafter's history migrations run through drafter.history.migrate")
# Batch mode: SQLite cannot ALTER most things; alembic then copies the table instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
