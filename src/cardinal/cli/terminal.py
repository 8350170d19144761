"""Text for a terminal: what a command prints of stored values (card names, comments, reasons)
reaches the terminal as text, never as control sequences that move the cursor, recolour or
retitle it, or hide what was printed before."""

from __future__ import annotations

import re
import sys
from datetime import datetime

# C0 controls but tab and line feed, DEL, and the C1 controls (ESC's 8-bit forms).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without control characters other than tabs and line breaks."""
    return _CONTROLS.sub("", text)


def write_line(text: str) -> None:
    """One line on stdout, as text."""
    sys.stdout.write(printable(text) + "\n")


def when(moment: datetime | None) -> str:
    """A moment as commands print it (UTC, to the second), or "-" for none."""
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")
