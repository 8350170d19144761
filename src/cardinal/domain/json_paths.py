"""JSON paths as Cardinal writes them in messages and diffs: ``$.a.b[0]['odd key']``."""

from __future__ import annotations

import re
from collections.abc import Iterable

Step = str | int
"""An object key or an array index."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_path(steps: Iterable[Step]) -> str:
    """The path of ``steps``; keys that are not identifiers are quoted in brackets."""
    parts = ["$"]
    for step in steps:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _IDENTIFIER.fullmatch(step):
            parts.append(f".{step}")
        else:
            parts.append("['" + step.replace("\\", "\\\\").replace("'", "\\'") + "']")
    return "".join(parts)
