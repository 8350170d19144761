"""An httpx transport that hands each request to an ASGI app in this process.

The app runs on the event loop of a blocking portal; the answer's body comes back part by part
as the app sends it, so a streamed answer (the progress of ``POST /verify``) arrives while the
app is still working, as it does from a server.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

import anyio
import httpx
from anyio.from_thread import BlockingPortal

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message


class InProcessTransport(httpx.BaseTransport):
    """Sends each request to ``app`` on the event loop of ``portal``."""

    def __init__(self, app: ASGIApp, portal: BlockingPortal) -> None:
        self._app = app
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        answers: queue.Queue[Message | BaseException] = queue.Queue()
        done = self._portal.start_task_soon(self._run, _scope(request), body, answers)
        start = answers.get()
        if isinstance(start, BaseException):
            raise start
        return httpx.Response(
            start["status"],
            headers=start.get("headers", []),
            stream=_Body(answers, done),
            request=request,
        )

    async def _run(
        self, scope: dict[str, Any], body: bytes, answers: queue.Queue[Message | BaseException]
    ) -> None:
        given = False
        finished = anyio.Event()

        async def receive() -> Message:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await finished.wait()  # the caller stays until the answer is whole
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                finished.set()
            answers.put(message)

        try:
            await self._app(scope, receive, send)
        except BaseException as error:
            answers.put(error)
            raise
        if not finished.is_set():
            answers.put(RuntimeError("the application ended without finishing its answer"))


class _Body(httpx.SyncByteStream):
    """The answer's body, read from the app's messages as they come."""

    def __init__(self, answers: queue.Queue[Message | BaseException], done: Future[None]) -> None:
        self._answers = answers
        self._done = done

    def __iter__(self) -> Iterator[bytes]:
        while True:
            item = self._answers.get()
            if isinstance(item, BaseException):
                raise item
            if item["type"] != "http.response.body":
                continue
            chunk = item.get("body", b"")
            if chunk:
                yield chunk
            if not item.get("more_body", False):
                return

    def close(self) -> None:
        if self._done.done() and not self._done.cancelled():
            self._done.exception()  # consumed: the error, if any, was raised from __iter__


def _scope(request: httpx.Request) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "headers": [(k.lower(), v) for k, v in request.headers.raw],
        "scheme": request.url.scheme,
        "path": request.url.path,
        "raw_path": request.url.raw_path.split(b"?")[0],
        "query_string": request.url.query,
        "server": (request.url.host, request.url.port),
        "client": ("127.0.0.1", 0),
        "root_path": "",
    }
