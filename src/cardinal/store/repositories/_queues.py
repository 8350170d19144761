"""Waiting in line for a contended row on PostgreSQL.

PostgreSQL does not hand a row lock to the transaction that has waited longest: when the holder
commits, a transaction that asks at that moment may take the row ahead of those already asleep
on it, again and again, so one writer of a busy group can wait many times longer than the
others. A transaction-level advisory lock is queued first come, first served, so a writer takes
one on the row's identity before the row lock itself. SQLite needs none: its writers already
take turns in order (``store/database.WritersTurn``).

Both locks are taken by one statement (:func:`locking_in_line`): the time between being served
and holding the row is time every writer behind waits, and a second statement would add a round
trip to it. The statement's snapshot is taken before it waits, but ``FOR UPDATE`` reads each row
it locks as its last writer committed it, so what it answers is current; a row another writer
inserted meanwhile is not seen, and the insert that follows fails on its unique key, which makes
the unit of work try again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, bindparam, func, select, true

from cardinal.domain.identifiers import Scope

LINE = "line"


def locking_in_line(statement: Select[Any], table: Table) -> Select[Any]:
    """``statement``, a SELECT of ``table``'s rows, made to wait in the line bound to ``line``
    (see :func:`line`) and then lock the rows it finds, in one statement, on PostgreSQL. Row
    locks are taken as rows leave the query, after the join with the advisory lock's one row,
    so the advisory lock always comes first."""
    turn = select(func.pg_advisory_xact_lock(bindparam(LINE)).label("served")).subquery("turn")
    return statement.join(turn, true()).with_for_update(of=table)


def line(*identity: str) -> dict[str, int]:
    """The parameter of the line for the row named by ``identity`` (its table and natural
    key), held until the transaction ends."""
    digest = hashlib.blake2b("\0".join(identity).encode(), digest_size=8).digest()
    return {LINE: int.from_bytes(digest, "big", signed=True)}


class NamedRows:
    """Reading one row of ``table`` by its scope and name (``find`` binds ``in_account``,
    ``in_region`` and ``named``): as it is, or locked until the transaction ends, after waiting
    in line on PostgreSQL."""

    def __init__(self, find: Select[Any], table: Table) -> None:
        self._table = table.name
        self._find = find
        self._for_update = find.with_for_update()
        self._in_line = locking_in_line(find, table)

    def read(
        self, connection: Connection, scope: Scope, name: str, *, for_update: bool
    ) -> Row[Any] | None:
        params: dict[str, Any] = {
            "in_account": scope.account_id,
            "in_region": scope.region,
            "named": name,
        }
        statement = self._find
        if for_update and connection.dialect.name == "postgresql":
            statement = self._in_line
            params.update(line(self._table, scope.account_id, scope.region, name))
        elif for_update:
            statement = self._for_update
        return connection.execute(statement, params).first()
