"""Where a command's requests go: one :class:`CardinalClient` for either mode.

With ``--endpoint`` (or ``CARDINAL_ENDPOINT``) the client talks HTTP to that server, sending the
API token ``CARDINAL_TOKEN`` names, else the one `cardinal login` kept for that server (see
:mod:`cardinal.cli.credentials`); without a token it names the local user as the actor, which
only a server in open mode accepts. Otherwise the same client talks to the same application,
built in this process over the local store (``--data-dir`` / ``--database-url``) and reached
through :class:`InProcessTransport`. So the REST door is the one place that translates between
requests and the services, in both modes, and a command only parses its arguments and formats
the answer.

With no store named at all, the local store is the default one under the user's data directory:
a command that reads fails when it does not exist yet (see :func:`local_services`), and one
that writes says on stderr that it uses it. On a local store nothing is checked: the operator
acts as the local user, and no token is sent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from cardinal.cli.credentials import local_actor, token_for
from cardinal.cli.errors import reported_errors, usage_error
from cardinal.cli.options import (
    Where,
    local_services,
    note_the_default_store,
    settings,
)
from cardinal.client import CardinalClient

ENDPOINT_ENV = "CARDINAL_ENDPOINT"
LOCAL_ENDPOINT = "http://local-store"


@dataclass(frozen=True)
class Connection:
    """The client of one command, and where its requests go (None: the local store)."""

    client: CardinalClient
    endpoint: str | None
    background: Callable[[], AbstractContextManager[object]] = nullcontext

    @property
    def where(self) -> str:
        return self.endpoint or "the local store"

    def background_work(self) -> AbstractContextManager[object]:
        """While inside, the local store's application does the work a server does in the
        background (it runs export jobs); a server does it anyway."""
        return self.background()


def chosen_endpoint(
    endpoint: str | None, data_dir: Path | None, database_url: str | None
) -> str | None:
    """The server to talk to, or None for the local store.

    An explicit ``--data-dir`` / ``--database-url`` wins over ``CARDINAL_ENDPOINT``; giving
    ``--endpoint`` with either of them is a usage error, and so is an endpoint that is not an
    http(s) URL.
    """
    local = data_dir is not None or database_url is not None
    if endpoint is not None and local:
        raise usage_error("give either --endpoint or a local store (--data-dir, --database-url).")
    if endpoint is not None:
        return _http_url(endpoint, "--endpoint")
    if local:
        return None
    given = os.environ.get(ENDPOINT_ENV) or None
    return None if given is None else _http_url(given, ENDPOINT_ENV)


def _http_url(url: str, source: str) -> str:
    """``url`` if it starts with http:// or https://, else a usage error naming ``source``
    (the option or the environment variable)."""
    scheme, sep, _ = url.partition("://")
    if sep and scheme.lower() in ("http", "https"):
        return url
    spelled = f"{source} " if source.startswith("--") else f"{source}="
    hint = f"; did you mean {spelled}http://{url}?" if url and not sep else "."
    raise usage_error(f"{source} {url!r} needs http:// or https://{hint}")


@contextmanager
def connect(where: Where) -> Iterator[Connection]:
    """A client for the command, in either mode; Cardinal's errors in the body leave as one line
    on stderr and the exit code of :mod:`cardinal.cli.errors`."""
    with reported_errors():
        url = chosen_endpoint(where.endpoint, where.data_dir, where.database_url)
    if url is not None:
        with reported_errors(url):
            client = CardinalClient(
                url, actor=local_actor(), region=where.region, token=token_for(url)
            )
        with client, reported_errors(url):
            yield Connection(client, url)
        return
    from anyio.from_thread import start_blocking_portal

    from cardinal.cli.in_process import InProcessTransport

    config = settings(data_dir=where.data_dir, database_url=where.database_url, region=where.region)
    if where.writes:
        note_the_default_store(config)
    with (
        local_services(config, create=where.writes) as services,
        start_blocking_portal() as portal,
    ):
        from cardinal.app import create_app

        app = create_app(config, services, local=True)
        transport = InProcessTransport(app, portal)
        with (
            CardinalClient(LOCAL_ENDPOINT, actor=local_actor(), transport=transport) as client,
            reported_errors(),
        ):
            yield Connection(
                client,
                None,
                lambda: portal.wrap_async_context_manager(app.router.lifespan_context(app)),
            )
