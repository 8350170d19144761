"""Options and helpers every command shares: settings, the local store, the local actor."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from cardinal.config import Settings

if TYPE_CHECKING:
    from cardinal.services.container import Services
    from cardinal.services.context import RequestContext

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

# Exit codes, documented in `cardinal --help` and the README.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_REFUSED = 4

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Directory for the SQLite file and local files.", show_default=False
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in the data dir).",
        show_default=False,
    ),
]
Region = Annotated[
    str | None,
    typer.Option("--region", help="Region the command acts in (default CARDINAL_REGION)."),
]


def settings(**overrides: Any) -> Settings:
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_USAGE) from None


def local_context(config: Settings) -> RequestContext:
    """The actor of a command run against a local store is the local user."""
    from cardinal.domain.identifiers import Scope
    from cardinal.services.context import RequestContext

    return RequestContext(
        scope=Scope(config.account_id, config.region),
        actor=f"local:{getpass.getuser()}",
        request_id=f"cli-{uuid.uuid4()}",
    )


@contextmanager
def local_services(config: Settings) -> Iterator[Services]:
    """Services over the configured database, migrated first when it is SQLite."""
    from cardinal.services.container import Services
    from cardinal.services.schema import prepare_database

    url = config.resolved_database_url
    with reported_errors():
        prepare_database(url)
    services = Services.for_database(url)
    try:
        yield services
    finally:
        services.close()


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn Cardinal's errors into one clear line and a documented exit code."""
    from cardinal.domain.errors import CardinalError, NotFound

    try:
        yield
    except NotFound as error:
        console.print(f"[red]not found:[/red] {error.message}")
        raise typer.Exit(EXIT_NOT_FOUND) from None
    except CardinalError as error:
        console.print(f"[red]refused:[/red] {error.message}")
        raise typer.Exit(EXIT_REFUSED) from None
