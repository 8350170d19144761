"""`cardinal audit`: read the audit trail, one page at a time.

``--resource`` takes an ARN as it is, or a name the command turns into the ARN the trail is
kept under: a model card's or a model package group's name, or a version as ``group/N``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.errors import EXIT_NOT_FOUND, CommandError, usage_error
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected, moment
from cardinal.cli.output import emit, line
from cardinal.cli.terminal import when
from cardinal.client import CardinalClient, InvalidInputError, NotFoundError
from cardinal.domain.audit import AuditAction
from cardinal.wire.evidence import AuditEventRead

MAX_SHOWN = 200
_VERSION = re.compile(r"(?P<group>[^/]+)/(?P<version>[0-9]{1,10})")


def _arn_if_found(read: Callable[[], str]) -> str | None:
    try:
        return read()
    except (NotFoundError, InvalidInputError):  # a name this kind of resource cannot have
        return None


def resource_arn(client: CardinalClient, resource: str) -> str:
    """The ARN ``resource`` names: an ARN as given, else the card, group or version of that name.

    Raises a usage error when the name is both a card's and a group's, and a not-found error
    when nothing has it.
    """
    if resource.startswith("arn:"):
        return resource
    version = _VERSION.fullmatch(resource)
    if version is not None:
        group, number = version["group"], int(version["version"])
        found = [_arn_if_found(lambda: client.packages.get(group, number).arn)]
    else:
        found = [
            _arn_if_found(lambda: client.cards.get(resource).card.arn),
            _arn_if_found(lambda: client.groups.get(resource).arn),
        ]
    arns = [arn for arn in found if arn is not None]
    if len(arns) > 1:
        raise usage_error(
            f"'{resource}' names both a model card and a model package group; pass the ARN of "
            f"the one you mean: --resource {arns[0]} or --resource {arns[1]}"
        )
    if not arns:
        raise CommandError(
            EXIT_NOT_FOUND,
            "not found",
            f"no model card, model package group or model package version (group/N) is named "
            f"'{resource}'; for one since deleted, pass its ARN",
        )
    return arns[0]


def _report(events: list[AuditEventRead], next_token: str | None) -> None:
    for e in events:
        line(f"#{e.seq} {when(e.occurred_at)} {e.actor} {e.action.value} {e.resource_arn}")
        for label, value in (("before", e.before), ("after", e.after)):
            if value is not None:
                text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
                cut = text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
                line(f"    {label}: {cut}")
    if next_token:
        line(f"More: --next-token {next_token}")


@connected
def audit_command(
    resource: Annotated[
        str | None,
        typer.Option(
            help="Only events of this resource: an ARN, a model card or model package group "
            "name, or a version as GROUP/N.",
            show_default=False,
        ),
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Only events by this actor.", show_default=False)
    ] = None,
    action: Annotated[
        AuditAction | None, typer.Option(help="Only events of this action.", show_default=False)
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="From this time (ISO-8601, UTC).", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Before this time (ISO-8601, UTC).", show_default=False)
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Events per page.")] = 50,
    next_token: Annotated[
        str | None, typer.Option(help="Continue a previous listing.", show_default=False)
    ] = None,
    newest_first: Annotated[bool, typer.Option(help="Newest events first.")] = False,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List audit events: who changed what, when, with the before and after.

    json and yaml print {"events": [...], "next_token": ...}; pass the token to --next-token for
    the next page.

    Example: cardinal audit --resource churn-v1
    Example: cardinal audit --resource customer-churn/2 --newest-first
    """
    start, end = moment(since, "--since"), moment(until, "--until")
    with connect(where) as cn:
        arn = None if resource is None else resource_arn(cn.client, resource)
        events, token = cn.client.audit.page(
            resource=arn,
            actor=actor,
            action=action,
            since=start,
            until=end,
            order="desc" if newest_first else "asc",
            limit=limit,
            next_token=next_token,
        )
    emit({"events": events, "next_token": token}, output, lambda: _report(events, token))
