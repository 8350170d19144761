"""Keyset pagination: one query per page, ordered by a sort column and the row id.

Every stored list reads its pages through ``read_page``. The token carries the last row's sort
value and id, and a fingerprint of the query it belongs to, so a token is refused when it is
replayed against another query. Tokens leave the server, so their form never changes: a token an
earlier server issued is read the same way.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Row, Select, literal, tuple_

from cardinal.domain.errors import UnknownPageToken
from cardinal.domain.paging import Page

T = TypeVar("T")
_MAX_ID = 2**63


def fingerprint(*parts: object) -> str:
    """A short digest of a list's filters and order; the list's tokens carry it."""
    text = json.dumps([str(p) for p in parts], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _encode(value: Any, row_id: int, query: str) -> str:
    if isinstance(value, datetime):
        payload: dict[str, Any] = {"t": value.isoformat()}
    else:
        payload = {"v": value}
    payload.update({"i": row_id, "q": query})
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str, query: str, kind: type) -> tuple[Any, int]:
    """The sort value and row id in ``token``; the value must be of the sort column's ``kind``."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
        row_id = payload["i"]
        if payload["q"] != query or type(row_id) is not int or not 0 <= row_id < _MAX_ID:
            raise ValueError
        value: Any
        if kind is datetime:
            value = datetime.fromisoformat(payload["t"])
            if value.tzinfo is None:
                raise ValueError
        else:
            value = payload["v"]
            if type(value) is not kind:
                raise ValueError
            if isinstance(value, int) and not -_MAX_ID < value < _MAX_ID:
                raise ValueError
            if isinstance(value, str):
                value.encode("utf-8")  # refuses lone surrogates
                if "\x00" in value:
                    raise ValueError
    except (
        ValueError,
        KeyError,
        TypeError,
        binascii.Error,
        UnicodeError,
        RecursionError,
        OverflowError,
    ):
        raise UnknownPageToken(
            "The NextToken is not valid for this request: pass the NextToken exactly as the "
            "previous response of the same request returned it."
        ) from None
    return value, payload["i"]


def token_query(token: str) -> str | None:
    """The fingerprint of the query ``token`` belongs to; None when it is not a token."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeError, RecursionError):
        return None
    query = payload.get("q") if isinstance(payload, dict) else None
    return query if isinstance(query, str) else None


def position_token(value: Any, row_id: int, query: str) -> str:
    """A token for a list that is not read by ``read_page``: where its next page starts."""
    return _encode(value, row_id, query)


def token_position(token: str, query: str, kind: type) -> tuple[Any, int]:
    """The position ``position_token`` put in ``token``; InvalidInput for any other token."""
    return _decode(token, query, kind)


def read_page(
    db: Connection,
    statement: Select[Any],
    *,
    sort_column: ColumnElement[Any],
    id_column: ColumnElement[Any],
    descending: bool,
    limit: int,
    token: str | None,
    query: str,
    build: Callable[[Row[Any]], T],
) -> Page[T]:
    """One page of ``statement``: at most ``limit`` rows after ``token``, in the order of
    ``sort_column`` then ``id_column`` (both selected by ``statement``), each made into an item
    by ``build``; the page's token continues the list. ``query`` is the fingerprint of the list's
    filters and order: a token of another query is InvalidInput."""
    if token is not None:
        value, last_id = _decode(token, query, sort_column.type.python_type)
        position = tuple_(sort_column, id_column)
        last = tuple_(literal(value, sort_column.type), literal(last_id, id_column.type))
        statement = statement.where(position < last if descending else position > last)
    if descending:
        statement = statement.order_by(sort_column.desc(), id_column.desc())
    else:
        statement = statement.order_by(sort_column.asc(), id_column.asc())
    # One row more than the page holds says whether a next page exists.
    rows = db.execute(statement.limit(limit + 1)).all()
    items = rows[:limit]
    next_token = None
    if len(rows) > limit and items:
        last_row = items[-1]._mapping
        next_token = _encode(last_row[sort_column], last_row[id_column], query)
    return Page(items=[build(row) for row in items], next_token=next_token)


def stream_in_key_order(
    db: Connection, statement: Select[Any], keys: Sequence[ColumnElement[Any]], batch: int = 1000
) -> Iterator[Row[Any]]:
    """Every row of ``statement`` in the order of ``keys`` (unique together), batch by batch."""
    last: tuple[Any, ...] | None = None
    while True:
        page = statement
        if last is not None:
            page = page.where(tuple_(*keys) > tuple_(*(literal(v) for v in last)))
        rows = db.execute(page.order_by(*keys).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = tuple(rows[-1]._mapping[key] for key in keys)
