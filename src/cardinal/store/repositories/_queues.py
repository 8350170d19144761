"""Waiting in line for a contended row on PostgreSQL.

PostgreSQL does not hand a row lock to the transaction that has waited longest: when the holder
commits, a transaction that asks at that moment may take the row ahead of those already asleep
on it, again and again, so one writer of a busy group can wait many times longer than the
others. A transaction-level advisory lock is queued first come, first served, so a writer takes
one on the row's identity before the row lock itself. SQLite needs none: its writers already
take turns in order (``store/database.WritersTurn``).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, bindparam, func, select

_WAIT_IN_LINE = select(func.pg_advisory_xact_lock(bindparam("key")))


def wait_in_line(connection: Connection, *identity: str) -> None:
    """Wait, in arrival order, for the right to lock the row named by ``identity`` (its table
    and natural key); held until the transaction ends."""
    if connection.dialect.name != "postgresql":
        return
    digest = hashlib.blake2b("\0".join(identity).encode(), digest_size=8).digest()
    connection.execute(_WAIT_IN_LINE, {"key": int.from_bytes(digest, "big", signed=True)})
