"""The drafts table: one row per ``drafter draft`` run.

Revision ID: r0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "r0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("prompt_version", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("request_json", sa.Text(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("outcome_variant", sa.Integer(), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_drafts_created_at", "drafts", ["created_at"])
    op.create_index("ix_drafts_recipient", "drafts", ["recipient"])


def downgrade() -> None:
    op.drop_index("ix_drafts_recipient", table_name="drafts")
    op.drop_index("ix_drafts_created_at", table_name="drafts")
    op.drop_table("drafts")
