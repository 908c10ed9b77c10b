"""The history of drafts made through the CLI, their outcomes and what they say (issue 16).

``store`` keeps them (SQLite or any SQLAlchemy URL, migrated by ``migrate`` with the Alembic
scripts in ``migrations/``), ``stats`` turns outcomes into reply rates with honest intervals,
``similar`` finds a new draft that is nearly one already written for someone else.
"""

from drafter.history.store import OUTCOMES, Entry, History, Outcome, open_history

__all__ = ["OUTCOMES", "Entry", "History", "Outcome", "open_history"]
