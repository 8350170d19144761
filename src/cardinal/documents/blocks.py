"""The kinds of block a document's outline is made of: labelled fields, tables, charts and
titled parts, grouped in sections. Renderers walk these; ``outline.py`` and ``sign_off.py``
build them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from cardinal.documents.charts import BarChart, HeatMap, LineChart


@dataclass(frozen=True)
class Entry:
    """One labelled value: a text (possibly several lines) or a list of texts."""

    label: str
    value: str | tuple[str, ...]
    mono: bool = False
    running: str | None = None
    """The running string (page header or footer of the PDF) this value sets, if any."""

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, tuple)


@dataclass(frozen=True)
class Fields:
    """Labelled values, shown as a two-column table (HTML) or a list (Markdown)."""

    kind: ClassVar[str] = "fields"
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Table:
    """Rows of text under column headings (metrics, hyperparameters, chart values)."""

    kind: ClassVar[str] = "table"
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    """Per column: right-aligned because every cell is a number."""
    row_headers: bool = False
    """The first column names the rows (a matrix)."""
    widths: tuple[int, ...] = ()
    """Per column, a share of the page width in percent (fixed layout), if set."""
    mono: tuple[bool, ...] = ()
    """Per column: identifiers in a monospace face."""

    @property
    def right_aligned(self) -> tuple[bool, ...]:
        return self.numeric + (False,) * (len(self.columns) - len(self.numeric))

    @property
    def monospaced(self) -> tuple[bool, ...]:
        return self.mono + (False,) * (len(self.columns) - len(self.mono))


@dataclass(frozen=True)
class Chart:
    """A chart metric drawn as SVG; its numbers follow in tables."""

    kind: ClassVar[str] = "chart"
    figure: BarChart | LineChart | HeatMap


@dataclass(frozen=True)
class Part:
    """A titled group of blocks; with no blocks it says "Not provided."."""

    kind: ClassVar[str] = "part"
    title: str
    blocks: tuple[Block, ...]

    @property
    def lead(self) -> int:
        """How many of the first blocks a page keeps with the title: up to its chart, if any."""
        charts = [index for index, block in enumerate(self.blocks) if isinstance(block, Chart)]
        return charts[0] + 1 if charts else 0


Block = Fields | Table | Chart | Part


@dataclass(frozen=True)
class Section:
    """A top-level key of the content; with no blocks it says "Not provided."."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    note: str | None = None
    """What the section is (a snapshot of the card's own record, ...), said under its title."""
