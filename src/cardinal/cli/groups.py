"""`cardinal group ...`: model package groups (one business problem each)."""

from __future__ import annotations

from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.options import (
    EVERYWHERE,
    Limit,
    Output,
    OutputFormat,
    Where,
    connected,
    page_size,
)
from cardinal.cli.output import emit, fields, first, line, table
from cardinal.wire.registry import GroupRead

group_app = typer.Typer(
    help="Model package groups: create, list, show, delete.", no_args_is_help=True
)

GroupName = Annotated[str, typer.Argument(help="Name of the group.", show_default=False)]


def _show(group: GroupRead) -> None:
    fields(
        [
            ("name", group.name),
            ("arn", group.arn),
            ("description", group.description),
            ("created", group.created_at),
            ("created by", group.created_by),
        ]
    )


@group_app.command("create")
@connected(writes=True)
def create_group(
    name: GroupName,
    description: Annotated[
        str | None, typer.Option(help="What the group's models are for.", show_default=False)
    ] = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Create an empty model package group.

    Example: cardinal group create customer-churn --description "Who cancels in 90 days"
    """
    with connect(where) as cn:
        group = cn.client.groups.create(name, description=description)
    emit(group, output, lambda: line(f"Created model package group {group.name} ({group.arn})."))


@group_app.command("list")
@connected
def list_groups(
    name_contains: Annotated[
        str | None, typer.Option(help="Only groups whose name contains this.", show_default=False)
    ] = None,
    limit: Limit = 100,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List model package groups, oldest first.

    Example: cardinal group list --name-contains churn
    """
    with connect(where) as cn:
        groups = first(
            cn.client.groups.list(name_contains=name_contains, page_size=page_size(limit)), limit
        )
    emit(
        groups,
        output,
        lambda: table(
            ["NAME", "DESCRIPTION", "CREATED", "CREATED BY"],
            [(g.name, g.description, g.created_at, g.created_by) for g in groups],
        ),
    )


@group_app.command("show")
@connected
def show_group(
    name: GroupName,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Show one model package group.

    Example: cardinal group show customer-churn --output yaml
    """
    with connect(where) as cn:
        group = cn.client.groups.get(name)
    emit(group, output, lambda: _show(group))


@group_app.command("delete")
@connected(writes=True)
def delete_group(
    name: GroupName,
    where: Where = EVERYWHERE,
) -> None:
    """Delete an empty model package group (refused, exit 4, while it holds versions).

    Example: cardinal group delete customer-churn
    """
    with connect(where) as cn:
        cn.client.groups.delete(name)
    line(f"Deleted model package group {name}.")
