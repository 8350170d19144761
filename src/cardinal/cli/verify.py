"""`cardinal verify`: check every hash chain of a store and report each break."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from cardinal.cli.options import (
    EXIT_FAILED,
    DatabaseUrl,
    DataDir,
    console,
    local_services,
    out,
    settings,
)

if TYPE_CHECKING:
    from cardinal.services.verification import VerificationReport


def verify_command(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Verify that no stored card version or audit event was altered.

    Walks every model card's version chain, every embedded model card's chain and the audit
    trail, recomputing each hash. Exits 0 when everything holds and 1 when anything is broken,
    listing each break: the resource, the version or event, the stored and recomputed hash.

    Example: cardinal verify --database-url postgresql+psycopg://cardinal@db/cardinal
    """
    import typer

    config = settings(data_dir=data_dir, database_url=database_url)
    with (
        local_services(config) as services,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):
        tasks: dict[str, TaskID] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"Checking {stage}", total=total)
            progress.update(tasks[stage], completed=done, total=total)

        report = services.verification.verify_evidence(tick)
    _print(report)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _print(report: VerificationReport) -> None:
    checked = (
        f"{report.card_versions} model card versions, {report.package_card_versions} embedded "
        f"card versions, {report.audit_events} audit events"
    )
    if report.ok:
        out.print(f"OK: checked {checked}; every hash holds.")
        return
    for found in report.breaks:
        out.print(f"BREAK {found.resource} {found.position}: {found.detail}", highlight=False)
        if found.stored is not None or found.recomputed is not None:
            out.print(f"  {found.field} stored:     {found.stored or '-'}", highlight=False)
            out.print(f"  {found.field} recomputed: {found.recomputed or '-'}", highlight=False)
    out.print(f"BROKEN: {len(report.breaks)} break(s) in {checked}.")
