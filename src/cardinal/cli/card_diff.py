"""`cardinal card diff`: what changed between two versions of a model card, or between a version
and a draft file, read from the local store. :func:`render_diff` writes the plain-text form (a
header, then one line per change: ``~`` changed, ``+`` added, ``-`` removed, with long values
shortened and matrices written compactly); ``--output json`` writes
:meth:`VersionDiff.to_dict`. Like ``diff`` without ``--exit-code``, the command exits 0 whether
or not anything changed; 3 when the card or a version does not exist, 4 when the draft is not
valid card content, 2 for a usage error.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cardinal.cli.options import (
    EXIT_USAGE,
    DatabaseUrl,
    DataDir,
    Region,
    console,
    local_context,
    local_services,
    reported_errors,
    settings,
)
from cardinal.content.diff import Change, ChangeKind
from cardinal.services.card_diffs import VersionDiff

MAX_VALUE_CHARS = 60

_MARKS = {ChangeKind.CHANGED: "~", ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-"}


class DiffOutput(StrEnum):
    TEXT = "text"
    JSON = "json"


def render_diff(diff: VersionDiff) -> str:
    """The diff as plain text: a header line, then one line per change (no trailing newline)."""
    target = "draft" if diff.to_version is None else f"version {diff.to_version}"
    count = len(diff.diff.changes)
    summary = "no changes" if count == 0 else f"{count} change{'' if count == 1 else 's'}"
    header = f"model card {diff.card_name}: version {diff.from_version} -> {target}, {summary}"
    return "\n".join([header, *(_render_change(change) for change in diff.diff.changes)])


def _render_change(change: Change) -> str:
    mark = _MARKS[change.kind]
    if change.kind is ChangeKind.ADDED:
        return f"{mark} {change.path}: {show_value(change.new)}"
    if change.kind is ChangeKind.REMOVED:
        return f"{mark} {change.path}: {show_value(change.old)}"
    return f"{mark} {change.path}: {show_value(change.old)} -> {show_value(change.new)}"


def show_value(value: Any, limit: int = MAX_VALUE_CHARS) -> str:
    """One short line for a JSON value: strings quoted, others as compact JSON, cut at ``limit``
    characters with an ellipsis; a cut list says how many items (or rows x columns) it has."""
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[: limit - 1] + "…")
    rows = isinstance(value, list) and bool(value) and all(isinstance(r, list) for r in value)
    separators = (",", ":") if rows else (", ", ": ")
    text = json.dumps(value, ensure_ascii=False, separators=separators)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1] + "…"
    return f"{cut} ({_size(value)})" if isinstance(value, list) else cut


def _size(items: list[Any]) -> str:
    if all(isinstance(row, list) for row in items):
        widths = {len(row) for row in items}
        columns = str(widths.pop()) if len(widths) == 1 else "?"
        return f"{len(items)}x{columns}"
    return f"{len(items)} items"


def diff_command(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Model card name or ARN.", show_default=False)
    ],
    version_a: Annotated[
        int,
        typer.Argument(
            metavar="VERSION_A", help="The version to compare from.", show_default=False
        ),
    ],
    version_b: Annotated[
        int | None,
        typer.Argument(
            metavar="VERSION_B",
            help="The version to compare to (default: the latest).",
            show_default=False,
        ),
    ] = None,
    draft: Annotated[
        Path | None,
        typer.Option(
            "--draft",
            metavar="FILE",
            help="Compare VERSION_A with this content JSON file instead of a stored version.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        DiffOutput, typer.Option("--output", help="text for people, json for machines.")
    ] = DiffOutput.TEXT,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    region: Region = None,
) -> None:
    """Show what changed between two versions of a model card, or from a version to a draft.

    Exits 0 whether or not anything changed, 3 when the card or a version does not exist, 4 when the draft is not valid model card content.

    Example: cardinal card diff churn-v1 1 2
    Example: cardinal card diff churn-v1 2 --draft card.json --output json
    """
    if draft is not None and version_b is not None:
        console.print("[red]error:[/red] give either VERSION_B or --draft, not both.")
        raise typer.Exit(EXIT_USAGE)
    draft_text = _read_draft(draft) if draft is not None else None
    config = settings(data_dir=data_dir, database_url=database_url, region=region)
    with reported_errors(), local_services(config) as services:
        diffs = services.card_diffs
        ctx = local_context(config)
        if draft_text is None:
            diff = diffs.diff_versions(ctx, name, version_a, version_b)
        else:
            diff = diffs.diff_with_draft(ctx, name, draft_text, version_a)
    if output is DiffOutput.JSON:
        typer.echo(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_diff(diff))


def _read_draft(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        console.print(f"[red]error:[/red] cannot read the draft {path}: {error}")
        raise typer.Exit(EXIT_USAGE) from None
