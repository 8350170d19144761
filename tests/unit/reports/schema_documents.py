"""Reports drawn from the published JSON Schema of their kind, by schemathesis's generator (the
one the OpenAPI fuzz test draws request bodies with)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from schemathesis.generation.jsonschema.builder import build

from cardinal.content.reports.schemas import standalone
from cardinal.domain.report_kinds import ReportKind

_DRAFT_2020_12 = 20  # how the generator names the draft


def reports(kind: ReportKind) -> st.SearchStrategy[Any]:
    return build(standalone(kind), draft=_DRAFT_2020_12, formats={})
