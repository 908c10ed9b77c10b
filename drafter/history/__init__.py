"""The history of drafts (the CLI's, and the API's per key), their outcomes and what they say.

``store`` keeps them (SQLite or any SQLAlchemy URL, migrated by ``migrate`` with the Alembic
scripts in ``migrations/``), ``stats`` turns outcomes into reply rates with honest intervals,
``similar`` finds a new draft that is nearly one already written for someone else.
"""

from drafter.history.store import OUTCOMES, Entry, History, Outcome, open_history

__all__ = ["OUTCOMES", "Entry", "History", "Outcome", "open_history"]
