r"""The Markdown (GitHub-flavoured) rendering of a card document.

Walks the same outline as the HTML page. Card text is untrusted, so whatever a card says shows
as the text it is and never as Markdown structure:

* every character that could start inline Markdown or HTML (emphasis, code, links, tags,
  entities, table pipes, math) is backslash-escaped wherever it is;
* a single-line field (the title, a heading, a label, a key) is written on one line, every run
  of whitespace in it, line breaks included, as one space: that is how the HTML page shows it,
  and a line break there would end the heading or label and start a block of the card's making;
* a table cell is one line too; the lines of a multi-line cell are joined by ``<br>``, the only
  line break a GFM cell has (and what the HTML page shows); the renderer writes it, never the card;
* a multi-line field keeps its lines (hard breaks) and paragraphs, and the first character of
  every line is escaped when it is punctuation (``\-``, ``\#``, ``\>``, ``\=``, ``\:``, ...), as
  is the dot or parenthesis of a leading number (``1\.``), so no line opens a list, heading,
  quote, rule, fence, table or HTML block.

Charts have no Markdown form; their numbers are in the tables.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from cardinal.documents import sign_off
from cardinal.documents.blocks import Block, Chart, Entry, Fields, Part, Table
from cardinal.documents.charts import BarChart, LineChart
from cardinal.documents.model import CardDocument
from cardinal.documents.outline import Outline, outline_of
from cardinal.documents.text import NOT_PROVIDED

_INLINE = re.compile(r"([\\`*_\[\]<>&|~#!$])")
_ORDERED = re.compile(r"(\d+)([.)])")
_PUNCTUATION = frozenset(string.punctuation)
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def escape(text: str) -> str:
    """A single-line field as Markdown that shows exactly its text, on one line.

    Meant for text that follows other text on its line (a heading's marks, a label's, a cell's
    pipe), so it never begins a block.
    """
    return _inline(" ".join(text.split()))


def paragraph(text: str, indent: str = "") -> str:
    """Multi-line card text: lines kept (hard breaks), blank lines kept as paragraph breaks.

    Every line after the first is indented by ``indent`` (to stay inside a list item).
    """
    paragraphs = []
    for block in _PARAGRAPHS.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [_line(line) for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append(("\\\n" + indent).join(lines))
    return ("\n\n" + indent).join(paragraphs)


def cell(text: str) -> str:
    """A table cell: one line, the text's own lines joined by ``<br>``."""
    return "<br>".join(escape(line) for line in text.splitlines() if line.strip())


def _line(text: str) -> str:
    """One line of multi-line text, which may begin a block: its first mark is escaped too."""
    text = text.strip()
    number = _ORDERED.match(text)
    if number:
        return number[1] + "\\" + number[2] + _inline(text[number.end() :])
    if text[:1] in _PUNCTUATION:
        return "\\" + text[0] + _inline(text[1:])
    return _inline(text)


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def render_markdown(document: CardDocument) -> str:
    """The card version as a GitHub-flavoured Markdown document."""
    return markdown_body(outline_of(document))


def markdown_body(outline: Outline) -> str:
    out = [f"# {escape(outline.title)}", "", _fields(outline.facts), ""]
    out += ["## Linked model package", "", *_note(outline.package_note)]
    out += [_fields(outline.package) if outline.package else NOT_PROVIDED, ""]
    for section in outline.sections:
        out += [f"## {escape(section.title)}", "", *_note(section.note)]
        out += [_blocks(section.blocks, 3) if section.blocks else NOT_PROVIDED, ""]
    out += ["## Version history", ""]
    out += [_table(outline.history) if outline.history else NOT_PROVIDED, ""]
    out += [f"## {sign_off.TITLE}", "", *_note(sign_off.INTRO)]
    out += [_blocks(outline.sign_off, 3) if outline.sign_off else sign_off.NO_DECISIONS, ""]
    return "\n".join(out)


def _note(note: str | None) -> list[str]:
    return [f"*{escape(note)}*", ""] if note else []


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
