"""The history's tables, as typed SQLAlchemy 2 ORM classes.

The migrations (``migrations/versions/``) create exactly these tables on SQLite and
PostgreSQL; a test compares the two, so a column added here without a migration fails.
Whole documents (the request, the result) are stored as JSON text: they are read back whole,
and their shape is the API's, versioned by the package, not by the schema.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "DraftRow"]


class Base(DeclarativeBase):
    pass


class DraftRow(Base):
    """One ``drafter draft`` run: what was asked, what came back, and what happened after."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    recipient: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(64))
    # The first draft's overall rubric verdict, kept as a column so lists need no JSON parse.
    verdict: Mapped[str] = mapped_column(String(20))
    request_json: Mapped[str] = mapped_column(Text)
    result_json: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Which of the drafts (1-based) was sent, so its own scores are the ones counted in stats.
    outcome_variant: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Who may see the row through the HTTP API: a digest of the caller's API key (never the
    # key). NULL for the CLI's own drafts.
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
