"""`cardinal evidence pack|verify`: the evidence pack of a model version at a moment, and
checking one offline (no server, no store)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.errors import EXIT_FAILED, EXIT_USAGE, console
from cardinal.cli.options import (
    EVERYWHERE,
    AsOf,
    Output,
    OutputFormat,
    PackageArgument,
    Where,
    connected,
    moment,
    package_version,
)
from cardinal.cli.output import emit, line, say
from cardinal.content.evidence_pack import verify_pack

evidence_app = typer.Typer(
    help="Evidence packs: what was true of a model version at a moment, checkable offline.",
    no_args_is_help=True,
)

PackFile = Annotated[
    Path,
    typer.Argument(help="The evidence pack (a .zip file).", show_default=False),
]


@evidence_app.command("pack")
@connected
def pack_command(
    package: PackageArgument,
    as_of: AsOf = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Where to write the pack (default: the suggested file name in the current "
            "directory).",
            show_default=False,
        ),
    ] = None,
    where: Where = EVERYWHERE,
) -> None:
    """Write the evidence pack of a version at a moment (default: now): the version and its
    card as they were then, the decisions made by then, the audit events with their hashes, the
    card rendered. Check it anywhere with `cardinal evidence verify FILE`.

    Example: cardinal evidence pack customer-churn/1 --as-of 2026-03-01T12:00:00Z
    """
    group, version = package_version(package)
    at = moment(as_of, "--as-of")
    with connect(where) as cn, console.status(f"Gathering the evidence of {group}/{version}…"):
        data, name = cn.client.packages.evidence_pack(group, version, as_of=at)
    target = out or Path(name)
    target.write_bytes(data)
    say(f"Wrote the evidence pack of {group}/{version} ({len(data):,} bytes) to {target}.")


@evidence_app.command("verify")
def verify_command(pack: PackFile, output: Output = OutputFormat.TABLE) -> None:
    """Check an evidence pack offline: every file against SHA256SUMS, every audit event against
    its hash, the card against its hash chain, and that the events replay to what the pack
    shows. Exit 0 when it holds; 1 naming each place where it does not.

    Example: cardinal evidence verify evidence-customer-churn-1-20260301T120000Z.zip
    """
    try:
        data = pack.read_bytes()
    except OSError as error:
        say(f"Can't read {pack}: {error.strerror or error}")
        raise typer.Exit(EXIT_USAGE) from None
    report = verify_pack(data)
    about = report.manifest

    def show() -> None:
        if about:
            line(f"Evidence pack of {about.get('model_package_arn')} as of {about.get('as_of')}")
        for checked in report.checked:
            line(f"  checked  {checked}")
        for problem in report.problems:
            line(f"  BREAK    {problem}")
        line("OK: the pack holds." if report.ok else f"FAILED: {len(report.problems)} breaks.")

    body = {
        "ok": report.ok,
        "manifest": about,
        "checked": report.checked,
        "problems": report.problems,
    }
    emit(body, output, show)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
