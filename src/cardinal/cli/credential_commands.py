"""`cardinal keys ...` and `cardinal tokens ...`: a user's SigV4 access keys (for boto3 and the
SageMaker SDKs) and API tokens (for REST and this CLI): create, list, revoke.

A new secret is printed once, by the command that creates it, on stdout (where a script takes
it); the note that it will not be shown again goes to stderr. Lists never hold a secret. A
revoke answers ``{"id" | "access_key_id": ..., "state": "revoked"}`` for machines.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.errors import usage
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, fields, line, say, table
from cardinal.domain.identities import DEFAULT_TOKEN_DAYS
from cardinal.wire.identities import AccessKeyRead, TokenRead

keys_app = typer.Typer(
    help="SigV4 access keys of a user (boto3, the SageMaker SDKs): create, list, revoke.",
    no_args_is_help=True,
)
tokens_app = typer.Typer(
    help="API tokens of a user (the REST API, this CLI): create, list, revoke.",
    no_args_is_help=True,
)

UserName = Annotated[
    str, typer.Argument(help="The user or service account it belongs to.", show_default=False)
]
KeyId = Annotated[str, typer.Argument(help="The access key id (CRDK...).", show_default=False)]
TokenId = Annotated[
    str, typer.Argument(help="The token's id (see tokens list).", show_default=False)
]


def _keys(keys: list[AccessKeyRead]) -> None:
    table(
        ["ACCESS KEY ID", "STATE", "CREATED", "REVOKED"],
        [(k.access_key_id, k.state, k.created_at, k.revoked_at) for k in keys],
    )


def _tokens(tokens: list[TokenRead]) -> None:
    table(
        ["ID", "DESCRIPTION", "STATE", "CREATED", "EXPIRES", "REVOKED"],
        [
            (t.id, t.description or "-", t.state, t.created_at, t.expires_at, t.revoked_at)
            for t in tokens
        ],
    )


@keys_app.command("create")
@connected(writes=True)
def create_key(
    user: UserName, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """Issue an access key; its secret is shown this once. At most two are active at once, so
    a key can be rotated: create the new one, switch over, revoke the old one.

    Example: cardinal keys create ci-pipeline --output json
    """
    with connect(where) as cn:
        issued = cn.client.users.create_key(user)
    pair = {
        "access_key_id": issued.access_key_id,
        "secret_access_key": issued.secret_access_key,
    }

    def shown() -> None:
        fields(
            [
                ("access key id", issued.access_key_id),
                ("secret access key", pair["secret_access_key"]),
            ]
        )
        line(
            f"export AWS_ACCESS_KEY_ID={issued.access_key_id} "
            f"AWS_SECRET_ACCESS_KEY={pair['secret_access_key']}"
        )
        say("Shown once: store the secret now.")

    emit(pair, output, shown)


@keys_app.command("list")
@connected
def list_keys(
    user: UserName, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """List a user's access keys and their state (never their secrets).

    Example: cardinal keys list ci-pipeline
    """
    with connect(where) as cn:
        keys = cn.client.users.keys(user)
    emit(keys, output, lambda: _keys(keys))


@keys_app.command("revoke")
@connected(writes=True)
def revoke_key(
    user: UserName, key_id: KeyId, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """Revoke an access key: requests signed with it are refused from now on.

    Example: cardinal keys revoke ci-pipeline CRDKABCDEFGHIJKLMNOP
    """
    with connect(where) as cn:
        cn.client.users.revoke_key(user, key_id)
    revoked = {"access_key_id": key_id, "state": "revoked"}
    emit(revoked, output, lambda: line(f"Revoked access key {key_id} of {user}."))


@tokens_app.command("create")
@connected(writes=True)
def create_token(
    user: UserName,
    description: Annotated[
        str, typer.Option(help="What the token is for (up to 256 characters).")
    ] = "",
    expires_in_days: Annotated[
        int | None,
        typer.Option(
            "--expires-in-days",
            min=1,
            help=f"Days until it expires (default {DEFAULT_TOKEN_DAYS}).",
            show_default=False,
        ),
    ] = None,
    no_expiry: Annotated[
        bool, typer.Option("--no-expiry", help="A token that never expires (revoke it to end it).")
    ] = False,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Issue an API token; it is shown this once. Send it as CARDINAL_TOKEN, or keep it with
    `cardinal login`.

    Example: cardinal tokens create alice --description "laptop" --expires-in-days 30
    """
    if no_expiry and expires_in_days is not None:
        raise usage("give --expires-in-days or --no-expiry, not both.")
    days = None if no_expiry else expires_in_days or DEFAULT_TOKEN_DAYS
    with connect(where) as cn:
        issued = cn.client.users.create_token(user, description=description, expires_in_days=days)

    def shown() -> None:
        fields(
            [
                ("id", issued.id),
                ("token", issued.token),
                ("description", issued.description or "-"),
                ("expires", issued.expires_at or "never"),
            ]
        )
        line(f"export CARDINAL_TOKEN={issued.token}")
        say("Shown once: store the token now.")

    emit(issued, output, shown)


@tokens_app.command("list")
@connected
def list_tokens(
    user: UserName, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """List a user's API tokens and their state (never the tokens themselves).

    Example: cardinal tokens list alice
    """
    with connect(where) as cn:
        tokens = cn.client.users.tokens(user)
    emit(tokens, output, lambda: _tokens(tokens))


@tokens_app.command("revoke")
@connected(writes=True)
def revoke_token(
    user: UserName,
    token_id: TokenId,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Revoke an API token: requests that send it are refused from now on.

    Example: cardinal tokens revoke alice Ab3dEf6hIj9k
    """
    with connect(where) as cn:
        # Nothing is read back: the token revoked may be the one this command sent.
        cn.client.users.revoke_token(user, token_id)
    revoked = {"id": token_id, "state": "revoked"}
    emit(revoked, output, lambda: line(f"Revoked token {token_id} of {user}."))
