"""`cardinal verify`: check every hash chain and every resource's state against its audit
trail, and report each break.

``POST /api/v1/verify`` walks them, on the server or on the local store's application in this
process, and streams its progress: a bar per stage, then the report, printed the same way.
"""

from __future__ import annotations

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from cardinal.cli.connection import Connection, connect
from cardinal.cli.errors import EXIT_FAILED, console
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, line
from cardinal.wire.evidence import VerificationRead


def _verify(cn: Connection) -> VerificationRead:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"Checking {stage}", total=total)
            progress.update(tasks[stage], completed=done, total=total)

        return cn.client.verify(tick)


# What the two values of a break are, by the kind of break.
_LABELS = {
    "hash": ("stored:    ", "recomputed:"),
    "state": ("stored:     ", "audit trail:"),
    "history": ("event says: ", "audit trail:"),
}


def _report(report: VerificationRead) -> None:
    checked = (
        f"{report.card_versions} model card versions, {report.package_card_versions} embedded "
        f"card versions, {report.audit_events} audit events, {report.resources} resource states"
    )
    if report.resources_before_trail:
        checked += (
            f" ({report.resources_before_trail} stored since before the audit trail began, "
            "compared in what later events fix)"
        )
    if report.ok:
        line(f"OK: checked {checked}; every hash holds, every resource matches its audit trail.")
        return
    for found in report.breaks:
        line(f"BREAK {found.resource} {found.position}: {found.detail}")
        if found.stored is not None or found.recomputed is not None:
            stored, recomputed = _LABELS[found.kind]
            line(f"  {found.field} {stored} {found.stored or '-'}")
            line(f"  {found.field} {recomputed} {found.recomputed or '-'}")
    line(f"BROKEN: {len(report.breaks)} break(s) in {checked}.")


@connected
def verify_command(
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Verify that no stored card version or audit event was altered, and that every resource
    is stored as its audit trail says.

    Walks every model card's version chain, every embedded model card's chain and the audit
    trail, recomputing each hash; then replays each resource's audit trail and compares the
    state it ends with to the stored one. Exits 0 when everything holds and 1 when anything is
    broken, listing each break: the resource, the version or event (or "state"), the field, the
    stored value and the recomputed one (or the one the audit trail ends with).

    Example: cardinal verify --database-url postgresql+psycopg://cardinal@db/cardinal
    """
    with connect(where) as cn:
        report = _verify(cn)
    emit(report, output, lambda: _report(report))
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
