"""How commands print data: ``--output json|yaml`` dumps the REST API's read models (a list for
a list) to stdout; ``--output table`` (the default) prints aligned fields or a Rich table."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

import typer
from pydantic import BaseModel
from rich.table import Table

from cardinal.cli.documents import dump_yaml
from cardinal.cli.errors import console
from cardinal.cli.options import OutputFormat, out
from cardinal.cli.terminal import printable, when, write_line

T = TypeVar("T")


def plain(data: Any) -> Any:
    """Models (or lists and dicts of them) as JSON-ready values."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list | tuple):
        return [plain(item) for item in data]
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    return data


def dumped(data: Any, output: OutputFormat) -> str:
    """``data`` as JSON or YAML text."""
    if output is OutputFormat.YAML:
        return dump_yaml(plain(data)).rstrip("\n")
    return json.dumps(plain(data), indent=2, ensure_ascii=False)


def emit(data: Any, output: OutputFormat, table: Callable[[], None]) -> None:
    """Print ``data`` for machines, or call ``table`` to print it for people."""
    if output is OutputFormat.TABLE:
        table()
    else:
        typer.echo(dumped(data, output))


def line(message: str) -> None:
    """One line of a command's answer for people, on stdout (as text: see
    :mod:`cardinal.cli.terminal`)."""
    write_line(message)


def say(message: str) -> None:
    """A note about the answer (not the answer), on stderr."""
    console.print(printable(message), highlight=False, markup=False)


def text(value: Any) -> str:
    """A value as a table cell or field: text only (see :mod:`cardinal.cli.terminal`)."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, dict):
        return printable(", ".join(f"{k}={v}" for k, v in value.items())) or "-"
    return printable(str(getattr(value, "value", value)))


def fields(rows: Iterable[tuple[str, Any]]) -> None:
    """One resource as aligned ``label  value`` lines."""
    shown = [(label, text(value)) for label, value in rows]
    width = max((len(label) for label, _ in shown), default=0)
    for label, value in shown:
        out.print(f"{label.ljust(width)}  {value}", markup=False, highlight=False)


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A list of resources as a table (nothing cut: long values fold)."""
    shown = Table(*columns, box=None, header_style="bold", pad_edge=False)
    for column in shown.columns:
        column.overflow = "fold"
    for row in rows:
        shown.add_row(*(text(value) for value in row))
    out.print(shown)


def first(items: Iterator[T], limit: int) -> list[T]:
    """At most ``limit`` items, saying on stderr when there were more."""
    found = list(islice(items, limit + 1))
    if len(found) > limit:
        say(f"Showing the first {limit}; raise --limit to see more.")
    return found[:limit]
