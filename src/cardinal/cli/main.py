"""The ``cardinal`` command: every resource (through :mod:`cardinal.cli.connection`, against a
server or a local store), the evidence commands, and the local-only ``serve`` and ``db``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click

from cardinal import __version__
from cardinal.cli import overview
from cardinal.cli.errors import EXIT_UNREACHABLE, EXIT_USAGE, console, fail
from cardinal.cli.lazy import Lazy, LazyGroup
from cardinal.cli.options import (
    DatabaseUrl,
    DataDir,
    Endpoint,
    Region,
    Where,
    local_services,
    opening_database,
    settings,
)
from cardinal.cli.overview import COMMANDS, OPTION_HELP

if TYPE_CHECKING:
    from cardinal.services.container import Services
    from cardinal.services.context import RequestContext


class Commands(LazyGroup):
    lazy = {
        command.name: Lazy(command.module, command.attribute, command.summary)
        for command in COMMANDS
        if command.module is not None and command.attribute is not None
    }

    def format_help(self, ctx: click.Context, formatter: Any) -> None:
        formatter.write(overview.render())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            # The help, and the usage error's exit code: a command was expected.
            typer.echo(overview.render(), nl=False)
            ctx.exit(EXIT_USAGE)
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=Commands,
    help="\n\n".join(overview.DESCRIPTION),
    no_args_is_help=True,
    add_completion=True,
)
db_app = typer.Typer(help="Manage the database schema (local only).", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def main_options(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=OPTION_HELP["version"]),
    ] = False,
    endpoint: Endpoint = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    region: Region = None,
) -> None:
    """Run `cardinal COMMAND --help` for each command's options. The connection options
    (--endpoint, --data-dir, --database-url, --region) go here or after the command."""
    context.obj = Where(endpoint, data_dir, database_url, region)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8765).")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    account_id: Annotated[
        str | None, typer.Option(help="12-digit account id used in ARNs.")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Region for requests without a SigV4 scope.")
    ] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Seed the demo registry first.")] = False,
    upgrade: Annotated[
        bool,
        typer.Option("--upgrade", help="Migrate an outdated PostgreSQL schema before serving."),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes sharing the port (each with its own connections and "
            "background workers); more than one suits PostgreSQL best.",
        ),
    ] = 1,
) -> None:
    """Start the server. An SQLite database is migrated on start; an empty PostgreSQL database
    gets the schema, an outdated one needs `cardinal db upgrade` (or --upgrade).

    Example: cardinal serve --data-dir ./cardinal-data --port 8765 --workers 4
    """
    import uvicorn

    from cardinal.app import create_app
    from cardinal.domain.identifiers import Scope
    from cardinal.log_setup import configure_logging
    from cardinal.services.context import RequestContext
    from cardinal.services.demo import seed_demo_registry

    config = settings(
        host=host,
        port=port,
        data_dir=data_dir,
        database_url=database_url,
        account_id=account_id,
        region=region,
    )
    _refuse_open_mode_off_loopback(config.open_mode, config.host)
    _refuse_a_busy_port(config.host, config.port)
    url = config.resolved_database_url
    with local_services(config, serving=True, upgrade=upgrade) as services:
        demo_credentials = None
        if demo:
            ctx = RequestContext(Scope(config.account_id, config.region), "demo", "demo")
            if seed_demo_registry(services, ctx):
                console.print("Seeded the demo registry (group customer-churn, two model cards).")
            if not config.open_mode:
                demo_credentials = _demo_credentials(services, ctx, config.data_dir)
        endpoint = f"http://{config.host}:{config.port}"
        console.print(f"Cardinal {__version__} on {endpoint}  (database: {_redacted(url)})")
        console.print(f"REST API: {endpoint}/api/v1 (docs: {endpoint}/api/v1/docs)")
        if config.open_mode:
            console.print(
                "[yellow]Open mode (CARDINAL_AUTH=off):[/yellow] callers name themselves and "
                "nothing is checked; for a laptop and tests only."
            )
        elif not services.identities.has_admin():
            console.print(
                "No admin yet: create one on this store with "
                f"`cardinal users create NAME --role admin --database-url {_redacted(url)}`, "
                "then `cardinal keys create NAME` / `cardinal tokens create NAME`."
            )
        _print_client_setup(endpoint, config.region, config.open_mode, demo_credentials)
        if workers > 1:
            console.print(f"{workers} server processes.")
        configure_logging(config.log_level, config.log_format)
        if workers == 1:
            uvicorn.run(
                create_app(config, services),
                host=config.host,
                port=config.port,
                log_level=config.log_level,
                log_config=None,
                access_log=False,
            )
            return
    # Each process builds its own application from these settings, passed in its environment.
    os.environ.update(config.as_environment())
    uvicorn.run(
        "cardinal.app:app_from_environment",
        factory=True,
        workers=workers,
        host=config.host,
        port=config.port,
        log_level=config.log_level,
        log_config=None,
        access_log=False,
    )


def _refuse_open_mode_off_loopback(open_mode: bool, host: str) -> None:
    import ipaddress

    if not open_mode:
        return
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise fail(
            EXIT_USAGE,
            "refused",
            f"open mode (CARDINAL_AUTH=off) lets anyone who reaches the port act as anyone, so "
            f"it serves on loopback only, not on {host}; give --host 127.0.0.1, or turn "
            "authentication on (unset CARDINAL_AUTH)",
        )


def _demo_credentials(
    services: Services, ctx: RequestContext, data_dir: Path
) -> dict[str, dict[str, str]]:
    """The demo users' credentials: made on the first start and kept, readable by the owner
    only, in the data directory, so every start of the demo can print them."""
    import json
    import os

    from cardinal.services.demo import create_demo_users

    path = data_dir / "demo-credentials.json"
    known: dict[str, dict[str, str]] = json.loads(path.read_text()) if path.exists() else {}
    made = create_demo_users(services, ctx)
    if made:
        known.update(made)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(known, out, indent=2)
    return known


def _print_client_setup(
    endpoint: str, region: str, open_mode: bool, demo: dict[str, dict[str, str]] | None
) -> None:
    console.print("Point boto3 and the SageMaker SDKs at it with:")
    console.print(f"  export AWS_ENDPOINT_URL_SAGEMAKER={endpoint}")
    console.print(f"  export AWS_ENDPOINT_URL_S3={endpoint}/s3   # exported PDFs")
    console.print(f"  export AWS_DEFAULT_REGION={region}")
    author, approver = (demo or {}).get("demo-author"), (demo or {}).get("demo-approver")
    if open_mode:
        console.print("  export AWS_ACCESS_KEY_ID=alice AWS_SECRET_ACCESS_KEY=unused")
    elif author is not None:
        console.print(
            f"  export AWS_ACCESS_KEY_ID={author['access_key_id']} "
            f"AWS_SECRET_ACCESS_KEY={author['secret_access_key']}   # demo-author"
        )
    else:
        console.print(
            "  export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=...  # cardinal keys create"
        )
    console.print("and the cardinal command with:")
    console.print(f"  export CARDINAL_ENDPOINT={endpoint}")
    if approver is not None:
        console.print(f"  export CARDINAL_TOKEN={approver['token']}   # demo-approver")
        console.print(
            f"Web UI: {endpoint}/  sign in as demo-approver with password "
            f"{approver.get('password', '?')} (demo-author: "
            f"{(author or {}).get('password', '?')})"
        )
        console.print(
            "Demo users demo-admin, demo-author, demo-approver: every credential is in the "
            "data directory's demo-credentials.json."
        )


def _refuse_a_busy_port(host: str, port: int) -> None:
    """Fail in one line (exit 5) when the server could not listen on ``host:port``, before
    anything is opened or printed; bound as uvicorn binds it, then let go."""
    import errno
    import socket

    try:
        for family, kind, proto, _, address in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        ):
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = f"{host}:{port} is already in use; stop what listens there or give --port"
        else:
            reason = f"cannot listen on {host}:{port}: {error.strerror or error}; check --host"
        raise fail(EXIT_UNREACHABLE, "cannot serve", reason) from None


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Apply every schema migration the database has not had yet.

    Example: CARDINAL_DATABASE_URL=postgresql+psycopg://cardinal@db/cardinal cardinal db upgrade
    """
    from cardinal.services.schema import upgrade_schema

    config = settings(data_dir=data_dir, database_url=database_url)
    url = config.resolved_database_url
    with opening_database(url):
        before, after = upgrade_schema(url)
    console.print(f"Database schema at revision {after} (was {before or 'empty'}).")


def main() -> None:
    app()
