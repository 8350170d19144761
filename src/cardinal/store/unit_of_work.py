"""The unit of work: one database transaction and the repositories that work inside it.

Only services open a unit of work. A write unit commits when the service's function returns
and rolls back when it raises. A write that collides with a concurrent writer (a unique
constraint, a serialization failure, a deadlock, a busy SQLite file) is retried from the start
in a new transaction, so the rules are checked again against what the other writer committed.

A write that reads a row to change it, or to rely on it (a card linking a version, a tag count),
reads it with its row lock (``for_update``) so that no concurrent writer changes or deletes it
before the transaction ends. Locks are taken in one order, so writers never wait on each other in
a circle: model card, then model package group, then model package, then the audit chain's head
row (always last, when the transaction's events are appended). SQLite has no row locks; its
writers are serialised by ``BEGIN IMMEDIATE`` instead.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Delete, Engine, Insert, Update, event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from cardinal.domain.errors import InvalidState
from cardinal.store.database import WRITE_OPTION, writers_turn
from cardinal.store.repositories.approvals import ApprovalRepository
from cardinal.store.repositories.audit import AuditRepository
from cardinal.store.repositories.export_jobs import ExportJobRepository
from cardinal.store.repositories.identities import IdentityRepository
from cardinal.store.repositories.model_cards import ModelCardRepository
from cardinal.store.repositories.model_package_groups import ModelPackageGroupRepository
from cardinal.store.repositories.model_packages import ModelPackageRepository
from cardinal.store.repositories.models import ModelRepository
from cardinal.store.repositories.search import SearchRepository
from cardinal.store.repositories.tags import TagRepository
from cardinal.store.repositories.unversioned_packages import UnversionedPackageRepository
from cardinal.store.repositories.webhooks import WebhookRepository
from cardinal.store.tables import audit_events

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
_CHANGED_TABLES = "cardinal_changed_tables"
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


class UnitOfWork:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.groups = ModelPackageGroupRepository(connection)
        self.packages = ModelPackageRepository(connection)
        self.cards = ModelCardRepository(connection)
        self.tags = TagRepository(connection)
        self.search = SearchRepository(connection)
        self.audit = AuditRepository(connection)
        self.export_jobs = ExportJobRepository(connection)
        self.identities = IdentityRepository(connection)
        self.approvals = ApprovalRepository(connection)
        self.webhooks = WebhookRepository(connection)
        self.models = ModelRepository(connection)
        self.unversioned_packages = UnversionedPackageRepository(connection)


def _retryable(error: DBAPIError) -> bool:
    if isinstance(error, IntegrityError):
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


class UnauditedChange(RuntimeError):
    """A write changed stored rows without recording an audit event: a bug in a use case."""


def _note_change(
    connection: Connection,
    statement: Any,
    _multiparams: Any,
    _params: Any,
    _options: Any,
    result: Any,
) -> None:
    changed: set[str] | None = connection.info.get(_CHANGED_TABLES)
    if changed is None or not isinstance(statement, Insert | Update | Delete):
        return
    if result.rowcount:
        changed.add(str(getattr(statement.table, "name", statement.table)))


class Store:
    """The database behind the services.

    Every write must leave a trace in the audit trail: a write that changed rows of any table
    but recorded no audit event is rolled back with :class:`UnauditedChange`, so a use case
    cannot forget its event. Only bookkeeping that is not a change to what users store (a
    worker claiming an export job) says ``audited=False``.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._turn = writers_turn(engine)
        if not event.contains(engine, "after_execute", _note_change):
            event.listen(engine, "after_execute", _note_change)

    def read(self, work: Callable[[UnitOfWork], T]) -> T:
        with self.engine.connect() as connection, connection.begin():
            return work(UnitOfWork(connection))

    def write(self, work: Callable[[UnitOfWork], T], *, audited: bool = True) -> T:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with (
                    self._turn,
                    self.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection,
                    connection.begin(),
                ):
                    return _audited(work, connection) if audited else work(UnitOfWork(connection))
            except DBAPIError as error:
                if not _retryable(error) or attempt == MAX_ATTEMPTS:
                    if isinstance(error, IntegrityError):
                        raise InvalidState(
                            "The change conflicted with a concurrent change and was not made; "
                            "try again."
                        ) from error
                    raise
                log.debug("retrying a write after %s (attempt %d)", type(error).__name__, attempt)
                time.sleep(random.uniform(0, 0.01 * attempt))
        raise AssertionError("unreachable")


def _audited(work: Callable[[UnitOfWork], T], connection: Connection) -> T:
    """``work``, refused if it changed rows and recorded no audit event."""
    changed: set[str] = set()
    connection.info[_CHANGED_TABLES] = changed
    try:
        result = work(UnitOfWork(connection))
    finally:
        del connection.info[_CHANGED_TABLES]
    if changed and audit_events.name not in changed:
        raise UnauditedChange(
            f"A write changed {', '.join(sorted(changed))} and recorded no audit event."
        )
    return result
