"""`cardinal audit`: read the audit trail, one page at a time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.errors import usage
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, line, when
from cardinal.domain.audit import AuditAction
from cardinal.wire.evidence import AuditEventRead

MAX_SHOWN = 200


def _time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise usage(f"{option} '{value}' is not an ISO-8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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
        str | None, typer.Option(help="Only events of this resource ARN.", show_default=False)
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

    Example: cardinal audit --resource arn:aws:sagemaker:us-east-1:000000000000:model-card/churn
    """
    start, end = _time(since, "--since"), _time(until, "--until")
    with connect(where) as cn:
        events, token = cn.client.audit.page(
            resource=resource,
            actor=actor,
            action=action,
            since=start,
            until=end,
            order="desc" if newest_first else "asc",
            limit=limit,
            next_token=next_token,
        )
    emit({"events": events, "next_token": token}, output, lambda: _report(events, token))
