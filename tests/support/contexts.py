"""Request contexts for tests that call services directly."""

from __future__ import annotations

from cardinal.domain.identifiers import Scope
from cardinal.services.context import RequestContext

# The operator of a local store: nothing is checked (no principal).
OPERATOR = RequestContext(Scope("000000000000", "us-east-1"), actor="operator", request_id="test")
