"""Who acts, where, and in which request: what every service call is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cardinal.domain.access import Action
from cardinal.domain.errors import AccessDenied
from cardinal.domain.identifiers import Scope
from cardinal.domain.identities import Principal


@dataclass(frozen=True)
class RequestContext:
    """``actor`` is recorded on every change. ``principal`` is the authenticated caller whose
    grants every service checks; None when nobody is checked (open mode, where the caller names
    itself, and the operator's own commands on a local store)."""

    scope: Scope
    actor: str
    request_id: str
    principal: Principal | None = None

    def require(self, action: Action, group: str | None = None) -> None:
        """AccessDenied, naming the role needed, unless the caller may do ``action``."""
        if self.principal is None:
            return
        missing = self.principal.missing(action, group)
        if missing is not None:
            raise AccessDenied(f"{self.principal.name}: {missing}.")

    @property
    def is_checked(self) -> bool:
        return self.principal is not None


def utcnow() -> datetime:
    return datetime.now(UTC)
