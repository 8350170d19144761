"""What a rendered model card document is made of: one card version and the facts around it.

Services assemble a ``CardDocument`` from the store; every renderer (HTML, PDF, Markdown, Hugging
Face, JSON) reads only this, so all formats show the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class LinkedPackage:
    """The model package version a card documents, as it stands when the document is made."""

    group_name: str
    version: int
    arn: str
    approval_status: str
    approval_description: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One version of the card, for the document's version history summary."""

    version: int
    status: str
    created_at: datetime
    created_by: str
    content_sha256: str


@dataclass(frozen=True)
class CardDocument:
    """One card version with everything a document shows about it.

    ``content`` is the version's parsed JSON content (already validated when it was stored,
    but every string in it is untrusted text). ``content_sha256`` is the version's stored
    hash (RFC 8785 canonical JSON), printed on every page so a paper copy can be checked.
    """

    name: str
    arn: str
    version: int
    status: str
    content: dict[str, Any]
    content_sha256: str
    chain_sha256: str
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str
    generated_at: datetime
    package: LinkedPackage | None = None
    history: tuple[HistoryEntry, ...] = ()

    @property
    def risk_rating(self) -> str | None:
        intended_uses = self.content.get("intended_uses")
        if isinstance(intended_uses, dict):
            rating = intended_uses.get("risk_rating")
            return rating if isinstance(rating, str) else None
        return None
