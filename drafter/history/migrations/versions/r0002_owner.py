"""Drafts made through the HTTP API carry their owner: a digest of the caller's API key.

CLI drafts keep ``owner`` NULL, so a database shared by both never shows one's drafts to the
other (``History`` scopes every query by owner).

Revision ID: r0002
Revises: r0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "r0002"
down_revision: str | None = "r0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a table to add an index-carrying column otherwise.
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("owner", sa.String(64), nullable=True))
        batch.create_index("ix_drafts_owner", ["owner"])


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_index("ix_drafts_owner")
        batch.drop_column("owner")
