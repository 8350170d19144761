"""`cardinal card create|show|history|status|list|delete`: model cards and their versions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cardinal.cli.as_of import fail_if_broken, report_chain
from cardinal.cli.connection import connect
from cardinal.cli.documents import content_refused, dump_yaml, read_document
from cardinal.cli.errors import reported_errors, usage
from cardinal.cli.options import (
    EVERYWHERE,
    AsOf,
    Limit,
    Output,
    OutputFormat,
    Where,
    connected,
    moment,
    page_size,
    pairs,
)
from cardinal.cli.output import emit, fields, first, line, table
from cardinal.cli.terminal import when
from cardinal.client import InvalidInputError
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.wire.cards import CardRead

CardName = Annotated[str, typer.Argument(help="Name of the model card.", show_default=False)]


def show_card(card: CardRead, *, content: bool = True) -> None:
    """A card version as fields, then its content as YAML."""
    version = f"{card.version} of {card.latest_version}"
    fields(
        [
            ("name", card.name),
            ("arn", card.arn),
            ("version", version),
            ("status", card.status),
            ("model package", card.model_package_arn),
            ("content sha256", card.content_sha256),
            ("chain sha256", card.chain_sha256),
            ("created", f"{when(card.created_at)} by {card.created_by}"),
            (
                "modified",
                f"{when(card.last_modified_at)} by {card.last_modified_by}",
            ),
        ]
    )
    if content:
        typer.echo("content:")
        typer.echo("  " + dump_yaml(card.content).rstrip("\n").replace("\n", "\n  "))


@connected(writes=True)
def create_command(
    name: CardName,
    source: Annotated[
        Path,
        typer.Option(
            "--from",
            metavar="FILE",
            help="The card's content: a YAML or JSON file (the model card JSON schema).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ],
    status: Annotated[ModelCardStatus, typer.Option(help="Status of version 1.")] = (
        ModelCardStatus.DRAFT
    ),
    tag: Annotated[
        list[str] | None,
        typer.Option(help="A tag KEY=VALUE (repeat for more).", show_default=False),
    ] = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Create a model card (version 1) from a YAML or JSON file.

    A card links the model version it documents in model_package_details.model_package_arn.

    Example: cardinal card create churn-v1 --from card.yaml --status PendingReview
    """
    with reported_errors():
        content = read_document(source)
    tags = pairs(tag, "--tag")
    with connect(where) as cn:
        try:
            made = cn.client.cards.create(name, content, status=status, tags=tags or None)
        except InvalidInputError as error:
            raise content_refused(error, str(source)) from None
    emit(
        made.card,
        output,
        lambda: line(f"Created model card {made.card.name} (version 1, {made.card.status.value})."),
    )


@connected
def show_command(
    name: CardName,
    version: Annotated[
        int | None,
        typer.Option(min=1, help="Show this version (default: the latest).", show_default=False),
    ] = None,
    as_of: AsOf = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Show a model card version with its content.

    With --as-of, the version that was the latest then, with the status it had then (exit 1
    when the audit events the answer rests on do not verify).

    Example: cardinal card show churn-v1 --version 1 --output yaml
    Example: cardinal card show churn-v1 --as-of 2026-03-01T12:00:00Z
    """
    at = moment(as_of, "--as-of")
    if version is not None and at is not None:
        raise usage("Give --version or --as-of, not both.")
    with connect(where) as cn:
        found = cn.client.cards.get(name, version, as_of=at)

    def show() -> None:
        show_card(found.card)
        report_chain(found.card.as_of, found.card.chain)

    emit(found.card, output, show)
    fail_if_broken(found.card.chain)


@connected
def history_command(
    name: CardName,
    limit: Limit = 100,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List the versions of a model card, newest first, with their hashes.

    Example: cardinal card history churn-v1
    """
    with connect(where) as cn:
        versions = first(cn.client.cards.versions(name, page_size=page_size(limit)), limit)
    emit(
        versions,
        output,
        lambda: table(
            ["VERSION", "STATUS", "CREATED", "CREATED BY", "CONTENT SHA256"],
            [
                (v.version, v.status, v.created_at, v.created_by, v.content_sha256[:16])
                for v in versions
            ],
        ),
    )


@connected(writes=True)
def status_command(
    name: CardName,
    status: Annotated[ModelCardStatus, typer.Argument(help="The new status.", show_default=False)],
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Change the status of a card's current version (no new version is made).

    Example: cardinal card status churn-v1 Approved
    """
    with connect(where) as cn:
        changed = cn.client.cards.set_status(name, status)
    card = changed.card
    emit(
        card,
        output,
        lambda: line(f"Model card {card.name} version {card.version} is {card.status.value}."),
    )


@connected(writes=True)
def restore_command(
    name: CardName,
    to: Annotated[
        ModelCardStatus, typer.Option("--to", help="The status it moves to.", show_default=False)
    ],
    reason: Annotated[str, typer.Option(help="Why it is restored (recorded).", show_default=False)],
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Restore an Archived card to another status: an admin's decision, recorded with its reason.

    Example: cardinal card restore churn-v1 --to Draft --reason "archived by mistake"
    """
    with connect(where) as cn:
        changed = cn.client.cards.restore(name, to, reason)
    card = changed.card
    emit(
        card,
        output,
        lambda: line(
            f"Restored model card {card.name} version {card.version} to {card.status.value}."
        ),
    )


@connected
def list_command(
    status: Annotated[
        ModelCardStatus | None, typer.Option(help="Only cards with this status.")
    ] = None,
    name_contains: Annotated[
        str | None, typer.Option(help="Only cards whose name contains this.", show_default=False)
    ] = None,
    limit: Limit = 100,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List model cards, oldest first.

    Example: cardinal card list --status Approved --name-contains churn
    """
    with connect(where) as cn:
        found = cn.client.cards.list(
            name_contains=name_contains, status=status, page_size=page_size(limit)
        )
        cards = first(found, limit)
    emit(
        cards,
        output,
        lambda: table(
            ["NAME", "STATUS", "VERSION", "MODEL PACKAGE", "MODIFIED"],
            [
                (
                    c.name,
                    c.status,
                    c.latest_version,
                    c.model_package_arn.split(":model-package/")[-1]
                    if c.model_package_arn
                    else None,
                    c.last_modified_at,
                )
                for c in cards
            ],
        ),
    )


@connected(writes=True)
def delete_command(
    name: CardName,
    where: Where = EVERYWHERE,
) -> None:
    """Delete a model card with all its versions (the audit trail keeps what it was).

    Example: cardinal card delete churn-draft
    """
    with connect(where) as cn:
        cn.client.cards.delete(name)
    line(f"Deleted model card {name}.")
