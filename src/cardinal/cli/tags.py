"""`cardinal tag list|set|remove KIND NAME ...`: the tags of a group, a model version or a card.

KIND is ``group``, ``package`` or ``card``; NAME is the group's name, the version as
``<group>/<version>`` (or its ARN), or the card's name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.errors import usage
from cardinal.cli.options import (
    EVERYWHERE,
    Output,
    OutputFormat,
    Where,
    connected,
    package_version,
    pairs,
)
from cardinal.cli.output import emit, line, table
from cardinal.client import CardinalClient, ResourceTags
from cardinal.wire.registry import TagsRead

tag_app = typer.Typer(
    help="Tags of a group, a model version or a model card: list, set, remove.",
    no_args_is_help=True,
)


class Kind(StrEnum):
    GROUP = "group"
    PACKAGE = "package"
    CARD = "card"


KindArgument = Annotated[Kind, typer.Argument(help="group, package or card.", show_default=False)]
NameArgument = Annotated[
    str,
    typer.Argument(
        help="The group's name, the version as <group>/<version>, or the card's name.",
        show_default=False,
    ),
]


def _tags(client: CardinalClient, kind: Kind, name: str) -> ResourceTags:
    if kind is Kind.GROUP:
        return client.tags.group(name)
    if kind is Kind.PACKAGE:
        return client.tags.version(*package_version(name))
    return client.tags.card(name)


def _report(tags: TagsRead) -> None:
    if not tags.tags:
        line(f"{tags.arn} has no tags.")
        return
    table(["KEY", "VALUE"], sorted(tags.tags.items()))


@tag_app.command("list")
@connected
def list_tags(
    kind: KindArgument,
    name: NameArgument,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List the tags of a group, a model version or a model card.

    Example: cardinal tag list package customer-churn/2
    """
    with connect(where) as cn:
        tags = _tags(cn.client, kind, name).get()
    emit(tags, output, lambda: _report(tags))


@tag_app.command("set")
@connected(writes=True)
def set_tags(
    kind: KindArgument,
    name: NameArgument,
    tags: Annotated[
        list[str], typer.Argument(metavar="KEY=VALUE...", help="Tags to add or overwrite.")
    ],
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Add tags, or overwrite the values of tags with the same keys.

    Example: cardinal tag set card churn-v1 team=retention owner=alice
    """
    given = pairs(tags, "tag")
    if not given:
        raise usage("give at least one KEY=VALUE.")
    with connect(where) as cn:
        now = _tags(cn.client, kind, name).put(given)
    emit(now, output, lambda: _report(now))


@tag_app.command("remove")
@connected(writes=True)
def remove_tags(
    kind: KindArgument,
    name: NameArgument,
    keys: Annotated[
        list[str], typer.Argument(metavar="KEY...", help="Keys of the tags to remove.")
    ],
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Remove tags by key (a key that is not there is no error).

    Example: cardinal tag remove group customer-churn team
    """
    with connect(where) as cn:
        resource = _tags(cn.client, kind, name)
        for key in keys:
            resource.delete(key)
        now = resource.get()
    emit(now, output, lambda: _report(now))
