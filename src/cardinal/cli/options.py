"""Options every command shares (where Cardinal is, the region, the output format), the two
consoles (data on stdout, messages and errors on stderr), settings, and the local store.

A command that only reads never creates a local store: where none is, it fails with exit 5
and says how to name one. A command declared with ``@connected(writes=True)`` creates it."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, overload

import typer
from rich.console import Console

from cardinal.cli.errors import EXIT_UNREACHABLE, console, fail, reported_errors, usage
from cardinal.cli.overview import OPTION_HELP
from cardinal.domain.identifiers import model_package_ref

if TYPE_CHECKING:
    from cardinal.config import Settings
    from cardinal.services.container import Services

out = Console(soft_wrap=True)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    YAML = "yaml"


Output = Annotated[
    OutputFormat,
    typer.Option(
        "--output",
        "-o",
        help="table for people; json or yaml for machines (the REST API's read models).",
        case_sensitive=False,
    ),
]
Endpoint = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help=OPTION_HELP["endpoint"],
        show_default=False,
    ),
]
DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=OPTION_HELP["data_dir"],
        show_default=False,
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        "--database",
        help=OPTION_HELP["database_url"],
        show_default=False,
    ),
]
Region = Annotated[
    str | None,
    typer.Option("--region", help=OPTION_HELP["region"], show_default=False),
]


@dataclass(frozen=True)
class Where:
    """Where a command's requests go: a server, or a local store (and the region to act in);
    ``writes`` if the command changes data (and so may create the local store)."""

    endpoint: str | None = None
    data_dir: Path | None = None
    database_url: str | None = None
    region: str | None = None
    writes: bool = False

    def over(self, outer: Where) -> Where:
        """These options, each one not given here taken from ``outer`` (``writes`` is this
        command's own, never None)."""
        return Where(*(mine if mine is not None else theirs for mine, theirs in zip(
            astuple(self), astuple(outer), strict=True
        )))  # fmt: skip


# The connection options, declared once: every command that talks to Cardinal takes them (see
# :func:`connected`), and so does ``cardinal`` itself, ahead of the command.
CONNECTION_OPTIONS: dict[str, Any] = {
    "endpoint": Endpoint,
    "data_dir": DataDir,
    "database_url": DatabaseUrl,
    "region": Region,
}

R = TypeVar("R")
EVERYWHERE = Where()
_CONTEXT = "cardinal_command_context"


def given_before_the_command(context: typer.Context) -> Where:
    """The connection options given to ``cardinal`` ahead of the command."""
    found = context.find_root().obj
    return found if isinstance(found, Where) else Where()


@overload
def connected(command: Callable[..., R], /) -> Callable[..., R]: ...


@overload
def connected(*, writes: bool) -> Callable[[Callable[..., R]], Callable[..., R]]: ...


def connected(
    command: Callable[..., R] | None = None, /, *, writes: bool = False
) -> Callable[..., R] | Callable[[Callable[..., R]], Callable[..., R]]:
    """Give ``command`` the connection options, after it or ahead of it on the command line.

    ``command`` takes a ``where: Where`` parameter; its command line gets ``--endpoint``,
    ``--data-dir``, ``--database-url`` and ``--region`` instead, and an option given after the
    command wins over the same one given before it. ``@connected`` marks a command that only
    reads; ``@connected(writes=True)`` one that changes data.
    """
    if command is None:
        return functools.partial(_connected, writes=writes)
    return _connected(command, writes=writes)


def _connected(command: Callable[..., R], *, writes: bool) -> Callable[..., R]:
    signature = inspect.signature(command, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "where"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
        for name, kind in CONNECTION_OPTIONS.items()
    ]
    added.append(
        inspect.Parameter(_CONTEXT, inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    )

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> R:
        before = given_before_the_command(kwargs.pop(_CONTEXT))
        given = {name: kwargs.pop(name, None) for name in CONNECTION_OPTIONS}
        here = Where(**given, writes=writes)
        return command(*args, where=here.over(before), **kwargs)

    run.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in (*kept, *added)}
    return run


def settings(**overrides: Any) -> Settings:
    from cardinal.config import Settings

    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValueError as error:
        first = error.errors()[0]["msg"] if hasattr(error, "errors") else str(error)
        raise usage(str(first).removeprefix("Value error, ")) from None


def named_a_store(config: Settings) -> bool:
    """Whether the user chose the local store (an option or a CARDINAL_* variable)."""
    return "data_dir" in config.model_fields_set or bool(config.database_url)


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names; None for another database or one in memory."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).absolute()


def note_the_default_store(config: Settings) -> None:
    """Say which store a command that writes uses, when the user named none."""
    if not named_a_store(config):
        console.print(
            f"note: using the local store at {sqlite_file(config.resolved_database_url)} "
            "(no --endpoint, --data-dir or --database-url given)",
            highlight=False,
            markup=False,
        )


@contextmanager
def opening_database(url: str) -> Iterator[None]:
    """Failures to open the database at ``url`` as one line: exit 5 when it cannot be reached
    or opened, 2 when the URL is unusable; Cardinal's own errors as everywhere."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, OperationalError

    try:
        with reported_errors():
            yield
    except (ArgumentError, ImportError) as error:  # not a URL, or a database driver we lack
        reason = str(error).splitlines()[0]
        raise usage(
            f"cannot use --database-url {url!r}: {reason} (Cardinal runs on SQLite and PostgreSQL)"
        ) from None
    except (OperationalError, OSError) as error:
        shown = make_url(url).render_as_string(hide_password=True)
        cause = getattr(error, "orig", None) or error
        reason = (getattr(cause, "strerror", None) or str(cause)).strip().splitlines()[0]
        raise fail(EXIT_UNREACHABLE, "unreachable", f"cannot open {shown}: {reason}") from None


@contextmanager
def local_services(
    config: Settings, *, create: bool = True, serving: bool = False, upgrade: bool = False
) -> Iterator[Services]:
    """Services over the configured database. An SQLite file is migrated first, and made if
    ``create`` (its absence is otherwise an error). A PostgreSQL schema must be current; a
    server (``serving``) creates it in an empty database, and migrates an outdated one if
    ``upgrade``; other commands never change it (`cardinal db upgrade` does)."""
    from cardinal.services.container import Services
    from cardinal.services.schema import SchemaChange, prepare_database

    url = config.resolved_database_url
    with opening_database(url):
        found = sqlite_file(url)
        if not create and found is not None and not found.exists():
            raise fail(
                EXIT_UNREACHABLE,
                "no store",
                f"{found} does not exist; give --endpoint URL (or set CARDINAL_ENDPOINT) to use "
                "a Cardinal server, or --data-dir DIR / --database-url URL for a local store "
                "(a command that writes creates it)",
            )
        change = prepare_database(url, create=serving, upgrade=upgrade)
        if serving and change is not SchemaChange.NONE:
            console.print(f"Database schema {change.value}.")
    services = Services.for_database(
        url, config.object_store(), config.secret_box(), config.destinations()
    )
    try:
        yield services
    finally:
        services.close()


Limit = Annotated[
    int, typer.Option("--limit", min=1, help="Show at most this many (the rest are not read).")
]


PackageArgument = Annotated[
    str,
    typer.Argument(help="The model version: <group>/<version> or its ARN.", show_default=False),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Answer as of this moment (ISO-8601; UTC unless it names an offset), from the "
        "audit trail.",
        show_default=False,
    ),
]


def moment(value: str | None, option: str) -> datetime | None:
    """The time an option names (ISO-8601; UTC unless it names an offset)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise usage(
            f"{option} '{value}' is not an ISO-8601 time, e.g. 2026-03-01T12:00:00Z"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def page_size(limit: int) -> int:
    """Items per request for a list cut at ``limit`` (one more, to know whether there are more)."""
    return min(limit + 1, 100)


def pairs(values: list[str] | None, option: str) -> dict[str, str]:
    """``KEY=VALUE`` arguments as a dict (a usage error for one without ``=``)."""
    found: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise usage(f"{option} '{item}' is not KEY=VALUE.")
        found[key] = value
    return found


def package_version(reference: str) -> tuple[str, int]:
    """``<group>/<version>`` or a model package ARN, as (group, version)."""
    ref = model_package_ref(reference)
    if ref is None:
        raise usage(f"'{reference}' is not <group>/<version> or a model package ARN.")
    return ref.group_name, ref.version
