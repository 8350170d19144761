"""The CLI's in-process transport passes an answer's body on as the application sends it."""

from __future__ import annotations

import threading

import httpx
import pytest
from anyio import to_thread
from anyio.from_thread import start_blocking_portal
from starlette.types import Receive, Scope, Send

from cardinal.cli.in_process import InProcessTransport


def test_a_streamed_body_arrives_part_by_part() -> None:
    first_read = threading.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"one\n", "more_body": True})
        # The second part goes only once the caller has read the first one.
        assert await to_thread.run_sync(first_read.wait, 10)
        await send({"type": "http.response.body", "body": request["body"], "more_body": False})

    with start_blocking_portal() as portal:
        client = httpx.Client(transport=InProcessTransport(app, portal), base_url="http://x")
        with client.stream("POST", "/", content=b"two\n") as answer:
            lines = answer.iter_lines()
            assert next(lines) == "one"
            first_read.set()
            assert list(lines) == ["two"]


def test_an_error_before_the_answer_is_raised_to_the_caller() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise LookupError("no answer")

    with start_blocking_portal() as portal:
        client = httpx.Client(transport=InProcessTransport(app, portal), base_url="http://x")
        with pytest.raises(LookupError, match="no answer"):
            client.get("/")
