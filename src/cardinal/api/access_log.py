"""One access-log line per request: method, path, status, duration and the actor the door
authenticated (``-`` when none did), on the ``cardinal.access`` logger.

Each door names its caller with :func:`note_actor` once it knows who that is; the line is
written when the response has been sent. The query string is left out: it may carry filters
with names in them, and tokens never travel there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = logging.getLogger("cardinal.access")
_ACTOR = "cardinal.actor"


def note_actor(scope: MutableMapping[str, Any], actor: str) -> None:
    """Name the caller of the request in ``scope`` for its access-log line."""
    scope.setdefault("state", {})[_ACTOR] = actor


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        # One state dict for the whole request: the doors' copies of the scope share it.
        state = scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, sending)
        finally:
            duration_ms = (time.perf_counter() - started) * 1000
            client = scope.get("client")
            LOGGER.info(
                '%s "%s %s" %d %.1fms %s',
                client[0] if client else "-",
                scope["method"],
                scope["path"],
                status,
                duration_ms,
                state.get(_ACTOR, "-"),
                extra={
                    "client": client[0] if client else None,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(duration_ms, 1),
                    "actor": state.get(_ACTOR),
                },
            )
