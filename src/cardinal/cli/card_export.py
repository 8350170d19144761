"""`cardinal card export` renders a card version to a file now; `cardinal card export-job ...`
starts, waits for, lists and downloads export jobs (the SageMaker way: the document is written
under an ``s3://`` output path).

A server runs jobs in its background worker. On a local store there is no server: the
application built in this process runs its worker while the command that starts a job waits
for it, so the job has finished when the command returns.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from cardinal.cli.card_commands import CardName
from cardinal.cli.connection import Connection, connect
from cardinal.cli.errors import EXIT_FAILED, EXIT_USAGE, console, fail
from cardinal.cli.options import (
    EVERYWHERE,
    Limit,
    Output,
    OutputFormat,
    Where,
    connected,
    page_size,
)
from cardinal.cli.output import emit, fields, first, line, say, table
from cardinal.cli.terminal import when
from cardinal.client import Document
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.export_jobs import ExportJobStatus
from cardinal.wire.exports import ExportJobRead

JobName = Annotated[str, typer.Argument(help="Name of the export job.", show_default=False)]
Format = Annotated[
    DocumentFormat,
    typer.Option(
        "--format",
        "-f",
        help="pdf, html, md (Markdown), hf (Hugging Face README.md) or json.",
        case_sensitive=False,
    ),
]
Version = Annotated[
    int | None,
    typer.Option(min=1, help="The card version (default: the latest).", show_default=False),
]
OutFile = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        metavar="FILE",
        help="Where to write the document ('-' for stdout; default: the suggested file name "
        "in the current directory).",
        show_default=False,
    ),
]

export_job_app = typer.Typer(
    help="Export jobs: render a card version into an s3:// output path, in the background.",
    no_args_is_help=True,
)

POLL_SECONDS = 0.5


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_document(document: Document, out: Path | None) -> str:
    """Write ``document`` to ``out`` (whole or not at all); where it went, for the message."""
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(document.data)
        sys.stdout.buffer.flush()
        return "stdout"
    target = out if out is not None else Path(document.file_name)
    if target.is_dir():
        target = target / document.file_name
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "wb") as written:
            written.write(document.data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise fail(
            EXIT_USAGE, "error", f"cannot write {target}: {error.strerror or error}"
        ) from None
    return str(target)


@connected
def export_command(
    name: CardName,
    version: Version = None,
    document_format: Format = DocumentFormat.PDF,
    out: OutFile = None,
    where: Where = EVERYWHERE,
) -> None:
    """Render a model card version as a document now: PDF, HTML, Markdown, Hugging Face, JSON.

    Every format carries the version's SHA-256, so a printed page can be checked against the
    store (cardinal card history NAME). Archived cards can be exported too.

    Example: cardinal card export churn-v1 --version 2 --format pdf -o churn-v1.pdf
    """
    with (
        connect(where) as cn,
        console.status(f"Rendering model card {name} as {document_format.name}…"),
    ):
        document = cn.client.exports.render(name, document_format, version=version)
    written_to = write_document(document, out)
    say(
        f"Wrote model card {name} as {document_format.name} ({len(document.data):,} bytes) to {written_to}."
    )


def _show_job(job: ExportJobRead) -> None:
    fields(
        [
            ("job", job.name),
            ("arn", job.arn),
            ("model card", f"{job.card_name} version {job.card_version}"),
            ("format", job.format),
            ("output path", job.output_path),
            ("status", job.status),
            ("artifact", job.artifact_uri),
            ("failure reason", job.failure_reason),
            ("created", f"{when(job.created_at)} by {job.created_by}"),
            ("modified", job.last_modified_at),
        ]
    )


def _wait(cn: Connection, card: str, job: str, timeout: float) -> ExportJobRead:
    deadline = time.monotonic() + timeout
    found = cn.client.exports.job(card, job)
    while found.status is ExportJobStatus.IN_PROGRESS and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        found = cn.client.exports.job(card, job)
    return found


def _outcome(job: ExportJobRead, output: OutputFormat) -> None:
    def report() -> None:
        if job.status is ExportJobStatus.COMPLETED:
            line(f"Completed: {job.artifact_uri}")
        elif job.status is ExportJobStatus.FAILED:
            line(
                f"FAILED: export job {job.name} of model card {job.card_name}: {job.failure_reason}"
            )
        else:
            line(f"InProgress: export job {job.name} of model card {job.card_name}.")

    emit(job, output, report)
    if job.status is ExportJobStatus.FAILED:
        raise typer.Exit(EXIT_FAILED)


@export_job_app.command("start")
@connected(writes=True)
def start_command(
    name: CardName,
    job: JobName,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="S3_PATH",
            help="The output path, s3://bucket/prefix (the server's object store, or the "
            "directory standing in for it).",
            show_default=False,
        ),
    ],
    version: Version = None,
    document_format: Format = DocumentFormat.PDF,
    wait: Annotated[
        bool, typer.Option(help="Wait until the job has Completed or Failed (server only).")
    ] = True,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds to wait before giving up waiting.")
    ] = 300,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Start an export job and wait for it: exit 0 when it Completed, 1 when it Failed.

    Against a server the job runs in the server's background worker (--no-wait returns at
    once); on a local store this command runs it before returning.

    Example: cardinal card export-job start churn-v1 audit-2026 --to s3://audits/cards
    """
    with connect(where) as cn, cn.background_work():
        started = cn.client.exports.start_job(
            name, job, to, document_format=document_format, version=version
        )
        finished = started
        if cn.endpoint is None:
            with console.status(f"Running export job {job}…"):
                finished = _wait(cn, started.card_name, job, timeout)
        elif wait:
            with console.status(f"Waiting for export job {job} on {cn.where}…"):
                finished = _wait(cn, started.card_name, job, timeout)
    _outcome(finished, output)
    if wait and finished.status is ExportJobStatus.IN_PROGRESS:
        say(
            f"Still InProgress after {timeout:g} s; see: cardinal card export-job show {name} {job}"
        )
        raise typer.Exit(EXIT_FAILED)


@export_job_app.command("show")
@connected
def show_command(
    name: CardName,
    job: JobName,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Show an export job: its status, and its artifact once Completed.

    Example: cardinal card export-job show churn-v1 audit-2026
    """
    with connect(where) as cn:
        found = cn.client.exports.job(name, job)
    emit(found, output, lambda: _show_job(found))


@export_job_app.command("list")
@connected
def list_command(
    name: CardName,
    status: Annotated[
        ExportJobStatus | None, typer.Option(help="Only jobs with this status.")
    ] = None,
    limit: Limit = 100,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List a card's export jobs, newest first.

    Example: cardinal card export-job list churn-v1 --status Failed
    """
    with connect(where) as cn:
        jobs = first(cn.client.exports.jobs(name, status=status, page_size=page_size(limit)), limit)
    emit(
        jobs,
        output,
        lambda: table(
            ["JOB", "VERSION", "FORMAT", "STATUS", "CREATED", "ARTIFACT OR REASON"],
            [
                (
                    j.name,
                    j.card_version,
                    j.format,
                    j.status,
                    j.created_at,
                    j.artifact_uri or j.failure_reason,
                )
                for j in jobs
            ],
        ),
    )


@export_job_app.command("download")
@connected
def download_command(
    name: CardName,
    job: JobName,
    out: OutFile = None,
    where: Where = EVERYWHERE,
) -> None:
    """Download the document a Completed export job wrote.

    Example: cardinal card export-job download churn-v1 audit-2026 -o audit.pdf
    """
    with connect(where) as cn:
        document = cn.client.exports.download(name, job)
    written_to = write_document(document, out)
    say(f"Wrote the artifact of export job {job} ({len(document.data):,} bytes) to {written_to}.")
