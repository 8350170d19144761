"""`cardinal audit`: read the audit trail of a local store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from cardinal.cli.options import (
    EXIT_USAGE,
    DatabaseUrl,
    DataDir,
    console,
    local_services,
    out,
    reported_errors,
    settings,
)
from cardinal.domain.audit import AuditAction, AuditQuery


def _time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        console.print(f"[red]error:[/red] {option} '{value}' is not an ISO-8601 time")
        raise typer.Exit(EXIT_USAGE) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def audit_command(
    resource: Annotated[str | None, typer.Option(help="Only events of this resource ARN.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only events by this actor.")] = None,
    action: Annotated[AuditAction | None, typer.Option(help="Only events of this action.")] = None,
    since: Annotated[str | None, typer.Option(help="From this time (ISO-8601, UTC).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this time (ISO-8601, UTC).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Events per page.")] = 50,
    next_token: Annotated[str | None, typer.Option(help="Continue a previous listing.")] = None,
    newest_first: Annotated[bool, typer.Option(help="Newest events first.")] = False,
    output: Annotated[str, typer.Option(help="text or json")] = "text",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List audit events: who changed what, when, with the before and after.

    Example: cardinal audit --resource arn:aws:sagemaker:us-east-1:000000000000:model-card/churn
    """
    query = AuditQuery(
        resource_arn=resource,
        actor=actor,
        action=action,
        since=_time(since, "--since"),
        until=_time(until, "--until"),
        max_results=limit,
        next_token=next_token,
        newest_first=newest_first,
    )
    config = settings(data_dir=data_dir, database_url=database_url)
    with local_services(config) as services, reported_errors():
        page = services.audit.list_audit_events(query)
    if output == "json":
        body = {
            "events": [
                {
                    "seq": e.seq,
                    "occurred_at": e.occurred_at.isoformat(),
                    "actor": e.actor,
                    "action": e.action.value,
                    "resource_arn": e.resource_arn,
                    "request_id": e.request_id,
                    "before": e.before,
                    "after": e.after,
                    "sha256": e.hash,
                }
                for e in page.items
            ],
            "next_token": page.next_token,
        }
        out.print_json(json.dumps(body))
        return
    for e in page.items:
        when = e.occurred_at.strftime("%Y-%m-%d %H:%M:%S")
        out.print(f"#{e.seq} {when} {e.actor} {e.action.value} {e.resource_arn}", highlight=False)
        for label, value in (("before", e.before), ("after", e.after)):
            if value is not None:
                text = json.dumps(value, separators=(",", ":"))
                out.print(
                    f"    {label}: {text if len(text) <= 200 else text[:199] + '…'}",
                    highlight=False,
                )
    if page.next_token:
        out.print(f"More: --next-token {page.next_token}")
