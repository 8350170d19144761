"""`cardinal users ...`, `cardinal whoami`, `cardinal login` and `cardinal logout`: users and
service accounts with their grants and password, who the server takes the caller for, and the
API token the CLI sends to a server.

Who may do what is the server's to decide; a command sends the request and shows the answer.
A password or token is read from a prompt with hidden input, or from stdin when asked, never
from an option (which would land in the shell's history and the process list).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cardinal.cli.connection import chosen_endpoint, connect
from cardinal.cli.credentials import credentials_file, forget_token, store_token
from cardinal.cli.errors import EXIT_REFUSED, fail, reported_errors, usage
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, fields, line, say, table
from cardinal.client import CardinalClient
from cardinal.domain.api_tokens import lookup_id
from cardinal.domain.identities import PrincipalKind
from cardinal.wire.identities import GrantRead, PrincipalRead, WhoAmI

users_app = typer.Typer(
    help="Users and service accounts: create, list, show, disable, enable, grant, revoke, "
    "set-password.",
    no_args_is_help=True,
)

UserName = Annotated[
    str, typer.Argument(help="Name of the user or service account.", show_default=False)
]
Role = Annotated[
    str, typer.Option("--role", help="viewer, author, approver or admin.", show_default=False)
]
Group = Annotated[
    str | None,
    typer.Option(
        "--group",
        help="The model package group the role applies in (default: every group).",
        show_default=False,
    ),
]


def grants_text(grants: list[GrantRead]) -> str:
    """Grants as ``role`` (everywhere) or ``role@group``, the audit trail's spelling."""
    shown = [g.role.value if g.group is None else f"{g.role.value}@{g.group}" for g in grants]
    return ", ".join(shown) or "no role"


def _show(user: PrincipalRead) -> None:
    fields(
        [
            ("name", user.name),
            ("kind", user.kind),
            ("grants", grants_text(user.grants)),
            ("disabled", "yes" if user.disabled else "no"),
            ("created", user.created_at),
            ("created by", user.created_by),
        ]
    )


def _answer(user: PrincipalRead, output: OutputFormat, message: str) -> None:
    def shown() -> None:
        line(message)
        _show(user)

    emit(user, output, shown)


def secret_from_stdin(what: str) -> str:
    """The first line of stdin, without its line break; a usage error when there is none."""
    given = sys.stdin.readline().rstrip("\r\n")
    if not given:
        raise usage(f"no {what} on stdin.")
    return given


@users_app.command("create")
@connected(writes=True)
def create_user(
    name: UserName,
    roles: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            help="A role to grant (repeatable): viewer, author, approver, admin. Default: viewer.",
            show_default=False,
        ),
    ] = None,
    group: Group = None,
    service: Annotated[
        bool, typer.Option("--service", help="A service account (a CI job), not a person.")
    ] = False,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Create a user, or with --service a service account, with the roles given (in --group,
    else everywhere).

    Example: cardinal users create alice --role author --role approver --group customer-churn
    """
    grants = [(role, group) for role in roles or ["viewer"]]
    kind = PrincipalKind.SERVICE if service else PrincipalKind.USER
    with connect(where) as cn:
        user = cn.client.users.create(name, kind=kind, grants=grants)
    _answer(user, output, f"Created {user.kind.value} {user.name}.")


@users_app.command("list")
@connected
def list_users(output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE) -> None:
    """List users and service accounts, by name.

    Example: cardinal users list
    """
    with connect(where) as cn:
        users = cn.client.users.list()
    emit(
        users,
        output,
        lambda: table(
            ["NAME", "KIND", "GRANTS", "DISABLED", "CREATED"],
            [
                (u.name, u.kind, grants_text(u.grants), "yes" if u.disabled else "no", u.created_at)
                for u in users
            ],
        ),
    )


@users_app.command("show")
@connected
def show_user(
    name: UserName, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """Show a user or service account and its grants.

    Example: cardinal users show alice
    """
    with connect(where) as cn:
        user = cn.client.users.get(name)
    emit(user, output, lambda: _show(user))


@users_app.command("disable")
@connected(writes=True)
def disable_user(
    name: UserName, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """Disable a user: its tokens and access keys stop working until it is enabled again.

    Example: cardinal users disable alice
    """
    with connect(where) as cn:
        user = cn.client.users.disable(name)
    _answer(user, output, f"Disabled {user.name}.")


@users_app.command("enable")
@connected(writes=True)
def enable_user(
    name: UserName, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """Enable a disabled user again.

    Example: cardinal users enable alice
    """
    with connect(where) as cn:
        user = cn.client.users.enable(name)
    _answer(user, output, f"Enabled {user.name}.")


@users_app.command("grant")
@connected(writes=True)
def grant_role(
    name: UserName,
    role: Role,
    group: Group = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Grant a role, in one group or everywhere.

    Example: cardinal users grant alice --role approver --group customer-churn
    """
    with connect(where) as cn:
        user = cn.client.users.grant(name, role, group)
    _answer(user, output, f"{user.name} now holds {grants_text(user.grants)}.")


@users_app.command("revoke")
@connected(writes=True)
def revoke_grant(
    name: UserName,
    role: Role,
    group: Group = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Revoke a grant (the role, and the group it was granted in).

    Example: cardinal users revoke alice --role approver --group customer-churn
    """
    with connect(where) as cn:
        user = cn.client.users.revoke_grant(name, role, group)
    _answer(user, output, f"{user.name} now holds {grants_text(user.grants)}.")


@users_app.command("set-password")
@connected(writes=True)
def set_password(
    name: UserName,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from stdin's first line."),
    ] = False,
    where: Where = EVERYWHERE,
) -> None:
    """Set the password a user signs in to the web UI with (at least 12 characters); asked twice
    with hidden input, or read from stdin.

    Example: cardinal users set-password alice
    """
    if password_stdin:
        password = secret_from_stdin("password")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with connect(where) as cn:
        cn.client.users.set_password(name, password)
    line(f"Set the password of {name}.")


def _show_caller(who: WhoAmI) -> None:
    fields(
        [
            ("name", who.name),
            ("kind", who.kind),
            ("grants", grants_text(who.grants) if who.checked else "- (nothing is checked)"),
            ("checked", "yes" if who.checked else "no"),
        ]
    )


@connected
def whoami_command(output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE) -> None:
    """Show who the server takes you for, and your grants.

    On a local store, or a server in open mode, nothing is checked: you are the name you send.

    Example: cardinal whoami --endpoint http://cardinal.internal:8765
    """
    with connect(where) as cn:
        who = cn.client.whoami()
    emit(who, output, lambda: _show_caller(who))


def _server(where: Where, command: str) -> str:
    with reported_errors():
        url = chosen_endpoint(where.endpoint, where.data_dir, where.database_url)
    if url is None:
        raise usage(
            f"{command} is for a server: give --endpoint URL or set CARDINAL_ENDPOINT "
            "(a local store checks nobody and needs no token)."
        )
    return url


@connected
def login_command(
    token_stdin: Annotated[
        bool, typer.Option("--token-stdin", help="Read the token from stdin's first line.")
    ] = False,
    where: Where = EVERYWHERE,
) -> None:
    """Keep an API token for a server: asked with hidden input (or read from stdin), checked
    with the server, and stored for that endpoint in ~/.config/cardinal/credentials.json
    (readable by you only). CARDINAL_TOKEN, when set, is sent instead.

    Example: cardinal login --endpoint http://cardinal.internal:8765
    """
    url = _server(where, "login")
    if token_stdin:
        token = secret_from_stdin("token").strip()
    else:
        token = typer.prompt("API token", hide_input=True).strip()
    if lookup_id(token) is None:
        raise fail(EXIT_REFUSED, "refused", "that is not a Cardinal API token (crd_...).")
    with reported_errors(url), CardinalClient(url, token=token, region=where.region) as client:
        who = client.whoami()
    with reported_errors():
        path = store_token(url, token)
    if not who.checked:
        say(f"note: {url} checks nobody (open mode), so the token could not be verified.")
    say(f"Token kept in {path}.")
    line(f"Logged in to {url} as {who.name}.")


@connected
def logout_command(where: Where = EVERYWHERE) -> None:
    """Forget the API token kept for a server (the token itself stays valid: `cardinal tokens
    revoke` ends it).

    Example: cardinal logout --endpoint http://cardinal.internal:8765
    """
    url = _server(where, "logout")
    with reported_errors():
        forgotten = forget_token(url)
    if forgotten:
        line(f"Logged out of {url}.")
    else:
        line(f"No token was kept for {url} (in {credentials_file()}).")
