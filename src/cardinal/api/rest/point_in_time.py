"""The ``as_of`` query parameter of reads that can answer for an earlier moment."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import AwareDatetime

from cardinal.domain.point_in_time import ChainCheck
from cardinal.wire.point_in_time import AS_OF_DESCRIPTION, ChainCheckRead

AsOfQuery = Annotated[AwareDatetime | None, Query(description=AS_OF_DESCRIPTION)]


def chain_read(check: ChainCheck) -> ChainCheckRead:
    return ChainCheckRead(verified=check.verified, events=check.events, breaks=list(check.breaks))
