"""Who acts, where, and in which request: what every service call is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cardinal.domain.identifiers import Scope


@dataclass(frozen=True)
class RequestContext:
    """``actor`` is recorded on every change (for now the SigV4 access key id)."""

    scope: Scope
    actor: str
    request_id: str


def utcnow() -> datetime:
    return datetime.now(UTC)
