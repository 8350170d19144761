"""`cardinal history`: the timeline of one model version and the cards that documented it."""

from __future__ import annotations

import json
from typing import Any

from cardinal.cli.connection import connect
from cardinal.cli.options import (
    EVERYWHERE,
    Output,
    OutputFormat,
    PackageArgument,
    Where,
    connected,
    package_version,
)
from cardinal.cli.output import emit, line
from cardinal.cli.terminal import when
from cardinal.wire.evidence import VersionHistoryRead

# What a timeline line shows of an event's after-values: the fields a reader follows.
SHOWN = ("approval_status", "approval_description", "status", "version", "model_package_arn")


def _what(after: dict[str, Any] | None) -> str:
    if not after:
        return ""
    shown = {k: after[k] for k in SHOWN if after.get(k) is not None}
    return json.dumps(shown, ensure_ascii=False)[1:-1].replace('"', "") if shown else ""


def _report(history: VersionHistoryRead, name: str) -> None:
    card = history.model_card_name or "no card"
    count = len(history.events)
    line(f"{name}: documented by {card}; {count} event{'s' if count != 1 else ''}, oldest first.")
    for event in history.events:
        resource = event.resource_arn.rsplit(":", 1)[-1]
        what = _what(event.after)
        line(
            f"  {when(event.occurred_at)}  #{event.seq}  {event.actor}  {event.action.value}  "
            f"{resource}" + (f"  ({what})" if what else "")
        )
    if not history.complete:
        line("Only the first 1000 events of a resource are shown; `cardinal audit` has them all.")


@connected
def history_command(
    package: PackageArgument,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """The timeline of a model version: its registration, approvals and updates, and the
    changes of the cards that documented it, oldest first.

    Example: cardinal history customer-churn/3
    """
    group, version = package_version(package)
    with connect(where) as cn:
        history = cn.client.packages.history(group, version)
    emit(history, output, lambda: _report(history, f"{group}/{version}"))
