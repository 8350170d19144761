"""The Markdown (GitHub-flavoured) rendering of a card document.

Walks the same outline as the HTML page. Card text is untrusted, so every character that could
start Markdown or HTML (emphasis, links, tags, entities, table pipes, math, and the marks that
begin a heading, list or quote at the start of a line) is backslash-escaped: whatever a card
says shows as the text it is. Charts have no Markdown form; their numbers are in the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cardinal.documents.charts import BarChart, LineChart
from cardinal.documents.model import CardDocument
from cardinal.documents.outline import Block, Chart, Entry, Fields, Outline, Part, Table, outline_of
from cardinal.documents.text import NOT_PROVIDED

_INLINE = re.compile(r"([\\`*_\[\]<>&|~#!$])")
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def escape(text: str) -> str:
    """One line of card text as Markdown that shows exactly that text."""
    text = _INLINE.sub(r"\\\1", text.strip())
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def paragraph(text: str, indent: str = "") -> str:
    """Multi-line card text: lines kept (hard breaks), blank lines kept as paragraph breaks."""
    paragraphs = []
    for block in _PARAGRAPHS.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [escape(line) for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append(("\\\n" + indent).join(lines))
    return ("\n\n" + indent).join(paragraphs)


def cell(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines() if line.strip())


def render_markdown(document: CardDocument) -> str:
    """The card version as a GitHub-flavoured Markdown document."""
    return markdown_body(outline_of(document))


def markdown_body(outline: Outline) -> str:
    out = [f"# {escape(outline.title)}", "", _fields(outline.facts), ""]
    out += ["## Linked model package", ""]
    out += [_fields(outline.package) if outline.package else NOT_PROVIDED, ""]
    for section in outline.sections:
        out += [f"## {escape(section.title)}", ""]
        out += [_blocks(section.blocks, 3) if section.blocks else NOT_PROVIDED, ""]
    out += ["## Version history", ""]
    out += [_table(outline.history) if outline.history else NOT_PROVIDED, ""]
    return "\n".join(out)


def _blocks(blocks: Iterable[Block], level: int) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Fields):
            out.append(_fields(block.entries))
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Chart):
            out.append(_chart_note(block))
        elif isinstance(block, Part):
            body = _blocks(block.blocks, level + 1) if block.blocks else NOT_PROVIDED
            out.append(f"{'#' * min(level, 6)} {escape(block.title)}\n\n{body}")
    return "\n\n".join(out)


def _fields(entries: Iterable[Entry]) -> str:
    lines = []
    for entry in entries:
        label = f"- **{escape(entry.label)}:**"
        if isinstance(entry.value, tuple):
            lines.append(label)
            lines += [f"  - {paragraph(item, '    ')}" for item in entry.value]
        else:
            lines.append(f"{label} {paragraph(entry.value, '  ')}")
    return "\n".join(lines)


def _table(table: Table) -> str:
    head = "| " + " | ".join(cell(column) for column in table.columns) + " |"
    rule = "| " + " | ".join("---:" if right else "---" for right in table.right_aligned) + " |"
    rows = ["| " + " | ".join(cell(value) for value in row) + " |" for row in table.rows]
    return "\n".join([head, rule, *rows])


def _chart_note(chart: Chart) -> str:
    if isinstance(chart.figure, BarChart):
        return "*Bar chart of the values below.*"
    if isinstance(chart.figure, LineChart):
        return "*Line chart of the points below.*"
    return "*Heat map of the matrix below.*"
