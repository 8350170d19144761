"""Hostile card text: lines that would start a Markdown block, YAML document markers, and a
strategy that mixes them with any other character, for tests that render such text."""

from __future__ import annotations

import re

from hypothesis import strategies as st

# Lines that start a block in CommonMark or GFM (or in renderers that add math and containers).
BLOCK_STARTS = (
    "1. ordered",
    "2) ordered",
    "- dash",
    "* star",
    "+ plus",
    "# heading",
    "###### heading",
    "> quote",
    "===",
    "---",
    "***",
    "___",
    "- - -",
    "```python",
    "~~~",
    "    indented code",
    "\tindented code",
    "<div>html</div>",
    "<!-- comment -->",
    "| a | b |",
    "|---|---|",
    "a | b",
    ":---",
    "-:",
    "[ref]: https://example.com",
    "$$",
    ":::",
)
# What ends a YAML document or a front matter block, and what YAML reads as syntax.
YAML_MARKERS = ("---", "...", "--- !!python/object:os.system", "key: value", "- item", "&a *a", "#")

HOSTILE = (
    "Start\n"
    + "\n".join(BLOCK_STARTS + YAML_MARKERS)
    + "\r\n# after CRLF\rafter CR\x85after NEL\u2028after LS"
)

_FRAGMENTS = st.sampled_from(
    [
        *BLOCK_STARTS,
        *YAML_MARKERS,
        *"\n\r\t -+*=#>|`~<_[]()!&\\$:.)'\"%@0123456789",
        "\r\n",
        "    ",
        "\x0c",
        "\x85",
        "\u2028",
        "\xa0",
        "\ufeff",
        "&amp;",
        "</div>",
        "[^1]",
    ]
)
# NUL is left out: CommonMark shows it as U+FFFD, so it can never come back as itself.
hostile_texts = st.lists(
    _FRAGMENTS | st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=24,
).map("".join)


def benign(text: str) -> str:
    """``text`` with the same whitespace and every other character a letter: no structure."""
    return re.sub(r"\S", "a", text)
