"""Where a command's requests go: one :class:`CardinalClient` for either mode.

With ``--endpoint`` (or ``CARDINAL_ENDPOINT``) the client talks HTTP to that server. Otherwise
the same client talks to the same application, built in this process over the local store
(``--data-dir`` / ``--database-url``) and reached through :class:`InProcessTransport`. So the
REST door is the one place that translates between requests and the services, in both modes,
and a command only parses its arguments and formats the answer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from cardinal.cli.errors import reported_errors, usage_error
from cardinal.cli.options import Where, local_actor, local_services, settings
from cardinal.client import CardinalClient
from cardinal.config import Settings

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from cardinal.services.container import Services

ENDPOINT_ENV = "CARDINAL_ENDPOINT"
LOCAL_ENDPOINT = "http://local-store"


class InProcessTransport(httpx.BaseTransport):
    """Sends each request to an ASGI app in this process, on the event loop of ``portal``."""

    def __init__(self, app: ASGIApp, portal: BlockingPortal) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._portal.call(self._send, request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        answer = await self._asgi.handle_async_request(request)
        content = await answer.aread()
        return httpx.Response(
            answer.status_code, headers=answer.headers, content=content, request=request
        )


@dataclass(frozen=True)
class Connection:
    """The client of one command; ``services`` and ``settings`` only for a local store."""

    client: CardinalClient
    endpoint: str | None
    services: Services | None = None
    settings: Settings | None = None

    @property
    def where(self) -> str:
        return self.endpoint or "the local store"


def chosen_endpoint(
    endpoint: str | None, data_dir: Path | None, database_url: str | None
) -> str | None:
    """The server to talk to, or None for the local store.

    An explicit ``--data-dir`` / ``--database-url`` wins over ``CARDINAL_ENDPOINT``; giving
    ``--endpoint`` with either of them is a usage error.
    """
    local = data_dir is not None or database_url is not None
    if endpoint is not None and local:
        raise usage_error("give either --endpoint or a local store (--data-dir, --database-url).")
    if endpoint is not None or local:
        return endpoint
    return os.environ.get(ENDPOINT_ENV) or None


@contextmanager
def connect(where: Where) -> Iterator[Connection]:
    """A client for the command, in either mode; Cardinal's errors in the body leave as one line
    on stderr and the exit code of :mod:`cardinal.cli.errors`."""
    with reported_errors():
        url = chosen_endpoint(where.endpoint, where.data_dir, where.database_url)
    if url is not None:
        with reported_errors(url):
            client = CardinalClient(url, actor=local_actor(), region=where.region)
        with client, reported_errors(url):
            yield Connection(client, url)
        return
    config = settings(data_dir=where.data_dir, database_url=where.database_url, region=where.region)
    with local_services(config) as services, start_blocking_portal() as portal:
        from cardinal.app import create_app

        transport = InProcessTransport(create_app(config, services), portal)
        with (
            CardinalClient(LOCAL_ENDPOINT, actor=local_actor(), transport=transport) as client,
            reported_errors(),
        ):
            yield Connection(client, None, services, config)
