"""Use cases of comparing model card content: two stored versions of a card, or a stored
version with a draft that has not been saved. Both read through the public
:class:`ModelCardService` API only and return a :class:`VersionDiff`: the card's name, the two
version numbers (``None`` on the draft side) and the structured :class:`CardDiff` of
:func:`cardinal.content.diff.diff_content`. Stored versions were validated when they were
written, so they are only parsed here; a draft is parsed and validated as model card content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cardinal.content.card_content import CardFlavour, parse_card_content
from cardinal.content.diff import CardDiff, diff_content
from cardinal.services.context import RequestContext
from cardinal.services.model_cards import DescribedCard, ModelCardService


@dataclass(frozen=True)
class VersionDiff:
    """What changed from ``from_version`` to ``to_version`` (None: to a draft) of one card."""

    card_name: str
    from_version: int
    to_version: int | None
    diff: CardDiff

    @property
    def to_draft(self) -> bool:
        return self.to_version is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_card_name": self.card_name,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "to_draft": self.to_draft,
            **self.diff.to_dict(),
        }


class CardDiffService:
    def __init__(self, cards: ModelCardService) -> None:
        self._cards = cards

    def diff_versions(
        self,
        ctx: RequestContext,
        name_or_arn: str,
        from_version: int,
        to_version: int | None = None,
    ) -> VersionDiff:
        """Compare two stored versions; ``to_version`` None means the latest.

        Either order works (an older ``to_version`` shows the change backwards); a version
        compared with itself gives an empty diff. Raises NotFound when the card or either
        version does not exist.
        """
        newer = self._cards.describe_model_card(ctx, name_or_arn, to_version)
        # Read the card by its name from here on, so both sides are versions of the same card.
        older = self._cards.describe_model_card(ctx, newer.card.name, from_version)
        diff = diff_content(_stored(older), _stored(newer))
        return VersionDiff(newer.card.name, from_version, newer.version.version, diff)

    def diff_with_draft(
        self,
        ctx: RequestContext,
        name_or_arn: str,
        draft_content: str,
        from_version: int | None = None,
    ) -> VersionDiff:
        """Compare a stored version (the latest when ``from_version`` is None) with draft content.

        The draft is validated as model card content first and stored nowhere. Raises
        InvalidInput (with the JSON path at fault) for a draft that is not valid card content,
        NotFound when the card or the version does not exist.
        """
        draft = parse_card_content(draft_content, CardFlavour.MODEL_CARD)
        base = self._cards.describe_model_card(ctx, name_or_arn, from_version)
        diff = diff_content(_stored(base), draft)
        return VersionDiff(base.card.name, base.version.version, None, diff)


def _stored(described: DescribedCard) -> dict[str, Any]:
    document = json.loads(described.version.content)
    if not isinstance(document, dict):  # pragma: no cover - refused when it was written
        raise TypeError(f"model card '{described.card.name}' holds content that is not an object")
    return document
