"""`cardinal card diff`: what changed between two versions of a model card, or between a version
and a draft file. :func:`render_diff` writes the table form (a header, then one line per change:
``~`` changed, ``+`` added, ``-`` removed, with long values shortened and matrices written
compactly); ``--output json|yaml`` writes the REST API's ``DiffRead``. Like ``diff`` without
``--exit-code``, the command exits 0 whether or not anything changed; 3 when the card or a
version does not exist, 4 when the draft is not valid card content, 2 for a usage error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cardinal.cli.connection import connect
from cardinal.cli.documents import content_refused, read_document
from cardinal.cli.errors import reported_errors, usage
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit
from cardinal.client import InvalidInputError
from cardinal.wire.cards import ChangeRead, DiffRead

MAX_VALUE_CHARS = 60

_MARKS = {"changed": "~", "added": "+", "removed": "-"}


def render_diff(diff: DiffRead) -> str:
    """The diff as plain text: a header line, then one line per change (no trailing newline)."""
    target = "draft" if diff.to_version is None else f"version {diff.to_version}"
    count = len(diff.changes)
    summary = "no changes" if count == 0 else f"{count} change{'' if count == 1 else 's'}"
    header = f"model card {diff.name}: version {diff.from_version} -> {target}, {summary}"
    return "\n".join([header, *(_render_change(change) for change in diff.changes)])


def _render_change(change: ChangeRead) -> str:
    mark = _MARKS.get(change.kind, "?")
    if change.kind == "added":
        return f"{mark} {change.path}: {show_value(change.new)}"
    if change.kind == "removed":
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


@connected
def diff_command(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Model card name.", show_default=False)
    ],
    version_a: Annotated[
        int,
        typer.Argument(
            metavar="VERSION_A", min=1, help="The version to compare from.", show_default=False
        ),
    ],
    version_b: Annotated[
        int | None,
        typer.Argument(
            metavar="VERSION_B",
            min=1,
            help="The version to compare to (default: the latest).",
            show_default=False,
        ),
    ] = None,
    draft: Annotated[
        Path | None,
        typer.Option(
            "--draft",
            metavar="FILE",
            help="Compare VERSION_A with this content file (YAML or JSON) instead.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Show what changed between two versions of a model card, or from a version to a draft.

    Exits 0 whether or not anything changed, 3 when the card or a version does not exist, 4 when the draft is not valid model card content.

    Example: cardinal card diff churn-v1 1 2
    Example: cardinal card diff churn-v1 2 --draft card.yaml --output json
    """
    if draft is not None and version_b is not None:
        raise usage("give either VERSION_B or --draft, not both.")
    with reported_errors():
        content = read_document(draft) if draft is not None else None
    with connect(where) as cn:
        if content is None:
            diff = cn.client.cards.diff(name, version_a, version_b)
        else:
            try:
                diff = cn.client.cards.diff_draft(name, content, from_version=version_a)
            except InvalidInputError as error:
                raise content_refused(error, str(draft)) from None
    emit(diff, output, lambda: typer.echo(render_diff(diff)))
