"""The history of drafts: a local record the user controls (drafter never sends mail).

SQLite in the data directory by default (``history.sqlite3``, owner-only), or any SQLAlchemy
URL (``DRAFTER_HISTORY_URL``, e.g. PostgreSQL). Opening it migrates it to the current schema
and deletes what is older than the retention setting. Forgetting deletes for real: SQLite runs
with ``secure_delete`` (freed pages are zeroed) and is vacuumed after every forget, so the
file keeps no trace of a forgotten message.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, ValidationError
from sqlalchemy import ColumnElement, Select, create_engine, delete, event, select, text, update
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from drafter.basemodels import Frozen
from drafter.config import Settings
from drafter.errors import ConfigError, FieldProblem, InputError, NotFound
from drafter.history import migrate
from drafter.history.schema import DraftRow
from drafter.types import DraftRequest, DraftResult

__all__ = ["OUTCOMES", "Entry", "History", "Outcome", "open_api_history", "open_history"]

Outcome = Literal["sent", "replied", "no-reply", "bounced"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
SQLITE_FILE = "history.sqlite3"


class Entry(Frozen):
    """One stored draft run; ``request`` and ``result`` are the API's own documents."""

    id: int
    created_at: datetime
    recipient: str
    channel: str
    model: str
    prompt_version: str
    verdict: str = Field(description="The first draft's overall rubric verdict.")
    outcome: Outcome | None
    outcome_variant: int | None
    outcome_at: datetime | None
    request: DraftRequest
    result: DraftResult


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _entry(row: DraftRow) -> Entry:
    created = _utc(row.created_at)
    assert created is not None
    try:
        return _build_entry(row, created)
    except ValidationError:
        # A row edited by hand, or written by a drafter whose documents differed: named, so
        # the user can forget it; never a traceback (and never its text in the message).
        raise ConfigError(f"history entry #{row.id} cannot be read (damaged, or written by "
                          f"another version of drafter); remove it with 'drafter history "
                          f"forget {row.id}'") from None


def _build_entry(row: DraftRow, created: datetime) -> Entry:
    return Entry(id=row.id, created_at=created, recipient=row.recipient, channel=row.channel,
                 model=row.model, prompt_version=row.prompt_version, verdict=row.verdict,
                 outcome=row.outcome,
                 outcome_variant=row.outcome_variant, outcome_at=_utc(row.outcome_at),
                 request=DraftRequest.model_validate_json(row.request_json),
                 result=DraftResult.model_validate_json(row.result_json))


def _url(settings: Settings) -> URL:
    if settings.history_url is None:
        return URL.create("sqlite", database=str(settings.data_dir / SQLITE_FILE))
    return _parse_url(settings.history_url.get_secret_value(), "DRAFTER_HISTORY_URL")


def _parse_url(raw: str, setting: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(f"{setting} is not a database URL: use e.g. "
                          "postgresql+psycopg://user@host/db or sqlite:////path/file") from None
    if url.drivername == "postgresql":  # the driver drafter[postgres] installs, not psycopg2
        url = url.set(drivername="postgresql+psycopg")
    return url


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _prepare_sqlite_file(path: Path) -> None:
    """The data directory and the file, readable by their owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Deleted content is overwritten with zeros, not just unlinked from the b-tree.
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def open_history(settings: Settings, *, now: datetime | None = None) -> History | None:
    """The configured history, migrated and purged; None when history is turned off."""
    if not settings.history:
        return None
    return _open(_url(settings), settings.history_retention_days, now,
                 setting="DRAFTER_HISTORY_URL", off="or turn history off with "
                 "DRAFTER_HISTORY=false")


def open_api_history(settings: Settings, *, now: datetime | None = None) -> History | None:
    """The HTTP API's own history (``DRAFTER_API_HISTORY_URL``); None when it has none.

    Never on by default: a server keeps its callers' drafts only when told where to."""
    if settings.api_history_url is None:
        return None
    url = _parse_url(settings.api_history_url.get_secret_value(), "DRAFTER_API_HISTORY_URL")
    return _open(url, settings.history_retention_days, now, setting="DRAFTER_API_HISTORY_URL",
                 off="or unset it to keep nothing")


def _open(url: URL, retention_days: int, now: datetime | None, *, setting: str,
          off: str) -> History:
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        try:
            _prepare_sqlite_file(Path(url.database))
        except OSError as exc:
            raise ConfigError(f"cannot create the history database {url.database}: "
                              f"{exc.strerror}; check {setting}, {off}") from None
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ModuleNotFoundError):
        raise ConfigError(f"no database driver for {url.drivername}: for PostgreSQL install "
                          "drafter[postgres] (psycopg)") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
    history = History(engine)
    try:
        migrate.upgrade(engine)
        if retention_days:
            history.purge_before((now or datetime.now(UTC)) - timedelta(days=retention_days))
    except SQLAlchemyError as exc:
        engine.dispose()
        # The driver's message names host and port at most; the URL is shown without password.
        cause = type(getattr(exc, "orig", None) or exc).__name__
        raise ConfigError(f"cannot open the history at {_shown(url)} ({cause}); check "
                          f"{setting}, {off}") from None
    return history


class History:
    """Stored draft runs over one engine. Every method is one short transaction.

    Every read, mark and forget is scoped to one ``owner``: None is the CLI's own drafts, a
    string is one API key's (``for_owner``). A row of another owner is "not found", exactly
    like a row that does not exist."""

    def __init__(self, engine: Engine, owner: str | None = None) -> None:
        self.engine = engine
        self.owner = owner

    def for_owner(self, owner: str) -> History:
        """The same database, seen by one API key's owner (sharing the engine: not closed)."""
        return History(self.engine, owner)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _mine(self) -> ColumnElement[bool]:
        if self.owner is None:
            return DraftRow.owner.is_(None)
        return DraftRow.owner == self.owner

    def add(self, request: DraftRequest, result: DraftResult,
            *, now: datetime | None = None) -> int:
        verdict = result.drafts[0].score.overall if result.drafts else "none"
        row = DraftRow(created_at=now or datetime.now(UTC), recipient=request.recipient.name,
                       channel=request.channel, model=result.model,
                       prompt_version=result.prompt_version, verdict=verdict,
                       request_json=request.model_dump_json(),
                       result_json=result.model_dump_json(), owner=self.owner)
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            return row.id

    def entries(self, *, limit: int | None = None, offset: int = 0) -> list[Entry]:
        """Newest first."""
        query = (select(DraftRow).where(self._mine())
                 .order_by(DraftRow.created_at.desc(), DraftRow.id.desc()))
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return [_entry(row) for row in self._rows(query)]

    def get(self, entry_id: int) -> Entry:
        rows = list(self._rows(select(DraftRow).where(DraftRow.id == entry_id, self._mine())))
        if not rows:
            raise _missing(entry_id)
        return _entry(rows[0])

    def mark(self, entry_id: int, outcome: str, *, variant: int = 1) -> Entry:
        if outcome not in OUTCOMES:
            raise InputError(f"outcome must be one of {', '.join(OUTCOMES)}",
                             [FieldProblem("OUTCOME", "unknown outcome")])
        entry = self.get(entry_id)
        if not 1 <= variant <= len(entry.result.drafts):
            raise InputError(f"draft #{entry_id} has {len(entry.result.drafts)} variant(s); "
                             f"--variant must be 1-{len(entry.result.drafts)}",
                             [FieldProblem("--variant", "no such variant")])
        with self.engine.begin() as conn:
            conn.execute(update(DraftRow).where(DraftRow.id == entry_id, self._mine())
                         .values(outcome=outcome, outcome_variant=variant,
                                 outcome_at=datetime.now(UTC)))
        return self.get(entry_id)

    def forget(self, entry_id: int) -> int:
        # Checked without reading the row's documents, so a damaged entry can be forgotten.
        with self.engine.connect() as conn:
            found = conn.execute(select(DraftRow.id)
                                 .where(DraftRow.id == entry_id, self._mine())).first()
        if found is None:  # a wrong id is an error, not a silent "0 forgotten"
            raise _missing(entry_id)
        return self._delete([entry_id])

    def forget_recipient(self, name: str) -> int:
        """Every draft to this recipient (the name compared without case or outer spaces)."""
        wanted = " ".join(name.split()).casefold()
        with self.engine.connect() as conn:
            pairs = conn.execute(select(DraftRow.id, DraftRow.recipient)
                                 .where(self._mine())).all()
        ids = [i for i, recipient in pairs if " ".join(recipient.split()).casefold() == wanted]
        return self._delete(ids)

    def forget_all(self) -> int:
        with self.engine.connect() as conn:
            ids = list(conn.execute(select(DraftRow.id).where(self._mine())).scalars())
        return self._delete(ids)

    def purge_before(self, cutoff: datetime) -> int:
        """Delete what was drafted before ``cutoff`` (the retention setting)."""
        with self.engine.connect() as conn:
            ids = list(conn.execute(select(DraftRow.id).where(DraftRow.created_at < cutoff))
                       .scalars())
        return self._delete(ids) if ids else 0

    def _delete(self, ids: list[int]) -> int:
        if ids:
            with self.engine.begin() as conn:
                conn.execute(delete(DraftRow).where(DraftRow.id.in_(ids)))
        self._compact()
        return len(ids)

    def _compact(self) -> None:
        if self.engine.dialect.name != "sqlite":
            return  # PostgreSQL: deleted rows are gone from every query; autovacuum reclaims
        # VACUUM rewrites the file without the freed pages; it cannot run in a transaction.
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM"))

    def _rows(self, query: Select[tuple[DraftRow]]) -> list[DraftRow]:
        with Session(self.engine) as session:
            return list(session.scalars(query).all())


def _missing(entry_id: int) -> NotFound:
    return NotFound(f"no draft #{entry_id} in the history; 'drafter history' lists them",
                    [FieldProblem("ID", "no such draft")])


def dumps_entry_summary(entry: Entry) -> dict[str, Any]:
    """The documented, stable shape of one line of ``drafter history --json``."""
    return {
        "id": entry.id,
        "created_at": entry.created_at.isoformat(),
        "recipient": entry.recipient,
        "channel": entry.channel,
        "goal": entry.request.goal,
        "variants": len(entry.result.drafts),
        "verdict": entry.verdict,
        "passed": bool(entry.result.drafts) and entry.result.drafts[0].passed,
        "outcome": entry.outcome,
        "outcome_variant": entry.outcome_variant,
        "model": entry.model,
        "prompt_version": entry.prompt_version,
    }


def dumps_summaries(entries: list[Entry]) -> str:
    return json.dumps({"version": 1, "drafts": [dumps_entry_summary(e) for e in entries]},
                      indent=2, ensure_ascii=False)
