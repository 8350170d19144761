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
class CardDecision:
    """A change of the card's status (an approval, a restore of an Archived card, ...), from the
    audit trail. ``from_status`` is None when the card was created with ``to_status``."""

    decided_by: str
    decided_at: datetime
    card_version: int
    from_status: str | None
    to_status: str
    reason: str | None = None
    """Why an admin restored the card from Archived."""


@dataclass(frozen=True)
class PackageDecision:
    """A decision on the linked model version, with the policy that allowed it and the card
    version it saw, pinned by the SHA-256 of that version's content."""

    decided_by: str
    decided_at: datetime
    decision: str
    outcome: str
    comment: str | None = None
    policy_group: str | None = None
    """The group whose policy applied, ``*`` for the global one; None: no policy was set."""
    policy_version: int | None = None
    card_name: str | None = None
    card_version: int | None = None
    card_content_sha256: str | None = None


@dataclass(frozen=True)
class CardDocument:
    """One card version with everything a document shows about it.

    ``content`` is the version's parsed JSON content (already validated when it was stored,
    but every string in it is untrusted text). ``content_sha256`` is the version's stored
    hash (RFC 8785 canonical JSON), printed on every page so a paper copy can be checked.
    ``card_decisions`` and ``package_decisions`` (on the linked version) are oldest first.
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
    card_decisions: tuple[CardDecision, ...] = ()
    package_decisions: tuple[PackageDecision, ...] = ()
    as_of: datetime | None = None
    """The moment the document shows the registry as of, when it is not when it was generated."""

    @property
    def risk_rating(self) -> str | None:
        intended_uses = self.content.get("intended_uses")
        if isinstance(intended_uses, dict):
            rating = intended_uses.get("risk_rating")
            return rating if isinstance(rating, str) else None
        return None
