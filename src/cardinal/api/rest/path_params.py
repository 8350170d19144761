"""Path parameters of the REST API's URLs, with the constraints OpenAPI publishes for them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from cardinal.domain.identifiers import ENTITY_NAME, ENTITY_NAME_MAX_LENGTH
from cardinal.wire.registry import KEY_CHARS

GroupName = Annotated[str, Path(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)]
PackageName = Annotated[str, Path(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)]
CardName = Annotated[str, Path(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)]
VersionNumber = Annotated[int, Path(ge=1, le=999_999_999)]
TagKeyInPath = Annotated[str, Path(pattern=KEY_CHARS, min_length=1, max_length=128)]
