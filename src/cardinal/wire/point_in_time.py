"""REST fields of an answer about a moment (``as_of``): the moment, and whether the audit
events the answer rests on hold."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field

AS_OF_DESCRIPTION = (
    "Answer as of this moment (RFC 3339 with an offset, e.g. 2026-03-01T12:00:00Z): the values "
    "of that moment, from the audit trail. Before the resource existed: 404."
)

AsOf = Annotated[AwareDatetime, Field(description=AS_OF_DESCRIPTION)]


class ChainCheckRead(BaseModel):
    """Whether the audit events an answer about a moment rests on hold: each event's hash is
    recomputed from what it covers and must link to the event before it in the chain."""

    verified: bool
    events: int = Field(description="How many audit events the answer rests on.")
    breaks: list[str] = Field(description="Where the events do not hold; empty when verified.")


class AtMoment(BaseModel):
    """The fields every answer carries; both are null unless ``as_of`` was asked."""

    as_of: datetime | None = Field(
        default=None, description="The moment answered for, when ``as_of`` was asked."
    )
    chain: ChainCheckRead | None = Field(
        default=None, description="Whether the audit events the answer rests on hold."
    )
