"""Request bodies bounded before they are read: an ASGI middleware each door wraps itself in.

A request whose ``Content-Length`` is over the limit is refused before any of its body is read.
A body without one (chunked) is counted as it arrives and refused as soon as it passes the
limit, so no more than the limit and the last chunk are ever held. Either way the door's own
refusal (its error format, HTTP 413) goes out with ``Connection: close``: the server then closes
the connection instead of reading and discarding the rest of the body.

A door may let a few paths (``larger``: a pattern the end of the path matches, and its limit)
take longer bodies than the rest, as the REST door does for evaluation reports.

A body within the limit is read whole here and handed on as one message, so the door behind
this middleware never reads more than the limit, whatever it does with the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The door's answer to a body over the limit, given the limit in bytes.
Refusal = Callable[[int], Response]

_DIGITS = re.compile(r"[0-9]+")


class BodyLimit:
    """Refuses HTTP requests whose body is larger than ``max_bytes`` with ``refusal``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        refusal: Refusal,
        larger: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refusal = refusal
        self._larger = [(re.compile(f"(?:{p})$"), n) for p, n in (larger or {}).items()]

    def _limit(self, scope: Scope) -> int:
        path = scope.get("path", "")
        for pattern, limit in self._larger:
            if pattern.search(path):
                return max(limit, self.max_bytes)
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before it had sent the whole body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replaying(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = self.refusal(limit)
        response.headers["connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length", "").strip()
    if not _DIGITS.fullmatch(value):
        return None  # none, or malformed (which the server refuses): the body is counted
    return int(value)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` as one message, then whatever the server says next."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
