"""The exceptions of :mod:`cardinal.client`, one tree for every failure of a call.

::

    CardinalClientError                 anything the client raises
    ├── TransportError                  no HTTP answer: connection refused, timeout, bad URL
    ├── UnexpectedResponseError         an answer the client cannot read as the API's model
    └── ApiError(status, problem)       the API answered with RFC 9457 problem details
        ├── NotAuthenticatedError       401: no token, or one unknown, expired or revoked
        ├── ForbiddenError              403: a role missing or a policy's rule (``.rule``)
        ├── NotFoundError               404
        ├── ConflictError               409: already exists, or refused by the stored state
        ├── PreconditionFailedError     412: a stale If-Match; nothing was changed
        └── InvalidInputError           422, with ``.path`` (JSON path of the offending input)

An :class:`ApiError` keeps the whole problem (``.problem``) and exposes its ``status``,
``type``, ``title``, ``detail`` and ``path``; its message carries the detail and the path.
"""

from __future__ import annotations

from typing import Any


class CardinalClientError(Exception):
    """Anything :class:`cardinal.client.CardinalClient` raises."""


class TransportError(CardinalClientError):
    """The request got no HTTP answer (connection refused or reset, timeout, invalid URL)."""


class UnexpectedResponseError(CardinalClientError):
    """A successful answer that is not what the API's response model describes."""


class ApiError(CardinalClientError):
    """The API refused the request and said why in problem details."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        super().__init__(self._message())

    @property
    def type(self) -> str | None:
        found = self.problem.get("type")
        return found if isinstance(found, str) else None

    @property
    def title(self) -> str:
        found = self.problem.get("title")
        return found if isinstance(found, str) else f"HTTP {self.status}"

    @property
    def detail(self) -> str:
        found = self.problem.get("detail")
        return found if isinstance(found, str) else self.title

    @property
    def path(self) -> str | None:
        found = self.problem.get("path")
        return found if isinstance(found, str) else None

    def _message(self) -> str:
        message = f"{self.status} {self.title}: {self.detail}"
        if self.path is not None and self.path not in self.detail:
            message += f" (at {self.path})"
        return message


class NotAuthenticatedError(ApiError):
    """401: the request carried no valid credential (log in, or give a token)."""


class ForbiddenError(ApiError):
    """403: the caller may not do this; ``rule`` names what refused (a role or a policy rule)."""

    @property
    def rule(self) -> str | None:
        found = self.problem.get("rule")
        return found if isinstance(found, str) else None


class NotFoundError(ApiError):
    """404: the named resource does not exist."""


class ConflictError(ApiError):
    """409: the resource already exists, or its stored state refuses the change."""


class PreconditionFailedError(ApiError):
    """412: the If-Match version is no longer the latest; nothing was changed."""


class InvalidInputError(ApiError):
    """422: invalid input; ``path`` names the offending field (a JSON path or a header)."""


_BY_STATUS: dict[int, type[ApiError]] = {
    401: NotAuthenticatedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: InvalidInputError,
}


def api_error(status: int, problem: dict[str, Any]) -> ApiError:
    """The exception of the most specific class for an HTTP status."""
    return _BY_STATUS.get(status, ApiError)(status, problem)
