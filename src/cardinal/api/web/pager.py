"""The links under a list page: first, previous and next, with the list's filters kept.

A list is read in keyset pages; a page's URL holds the cursor it starts at (``next``) and the
cursors of the pages before it (``back``, oldest first, the first page's as ""), so "Previous
page" is a plain link that works without JavaScript and survives a reload or a bookmark. The
trail keeps the last ``TRAIL`` cursors; further back, "First page" is always there.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

TRAIL = 20
_CURSORS = ("next", "back")


@dataclass(frozen=True)
class Pager:
    first: str | None
    previous: str | None
    next: str | None

    @property
    def shown(self) -> bool:
        return any((self.first, self.previous, self.next))


def pager(query: QueryParams, next_token: str | None) -> Pager:
    """The links of a page read with ``query``; ``next_token`` is where the list goes on."""
    kept = [(k, v) for k, v in query.multi_items() if k not in _CURSORS]
    current = query.get("next") or ""
    trail = query.getlist("back")[-TRAIL:]

    def link(cursor: str, back: list[str]) -> str:
        cursors = ([("next", cursor)] if cursor else []) + [("back", b) for b in back]
        return "?" + urlencode(kept + cursors)

    following = link(next_token, [*trail, current][-TRAIL:]) if next_token else None
    if not current:
        return Pager(None, None, following)
    previous = link(trail[-1], trail[:-1]) if trail else None
    return Pager(link("", []), previous, following)
