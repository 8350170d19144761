"""REST bodies of search, the audit trail, verification and evaluation reports, and the
problem-details model every route declares for its error answers.

Routes declare the problems they can answer with ``responses=problem_responses(404, 422)`` (or
``responses=PROBLEM_RESPONSES`` for all of them, on the route or on the ``APIRouter``), so the
OpenAPI document says that an error comes as ``application/problem+json`` shaped as
:class:`Problem`. Every route takes ``X-Cardinal-Region`` and so can answer 422; a route with a
JSON body also answers 400 to a body that is not JSON; a route that names a resource, 404.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from cardinal.domain.audit import AuditAction
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.domain.report_kinds import S3_REPORT_URI, ReportKind


class ProblemError(BaseModel):
    """One refused part of a request (request validation lists them all)."""

    path: str
    in_: str = Field(alias="in")
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of the REST API is answered."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["https://cardinal.dev/problems/not-found"])
    title: str
    status: int
    detail: str
    path: str | None = Field(default=None, description="JSON path of the offending input.")
    errors: list[ProblemError] | None = None


_PROBLEM_REF = "#/components/schemas/Problem"
_PROBLEM_TEXT = {
    400: "The body is not JSON (or not UTF-8)",
    401: "Not authenticated: no token, or one unknown, expired or revoked",
    403: "Forbidden: a role the caller lacks, or an approval policy's rule",
    404: "Not found",
    409: "Already exists, refused by the stored state, or a page token not issued for the list",
    412: "Precondition failed: the If-Match version is no longer the latest",
    422: "Invalid input (with the JSON path of the offending field)",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the problems a route answers with, and those every route may
    answer with when authentication is on (401 and 403).

    ``model`` puts :class:`Problem` in the components (FastAPI also lists it under
    ``application/json``); the body really comes as ``application/problem+json``.
    """
    statuses = tuple(sorted({*statuses, 401, 403}))
    return {
        status: {
            "model": Problem,
            "description": _PROBLEM_TEXT.get(status, "Problem"),
            "content": {"application/problem+json": {"schema": {"$ref": _PROBLEM_REF}}},
        }
        for status in statuses
    }


PROBLEM_RESPONSES = problem_responses(400, 404, 409, 412, 422)


class CardSearchSummary(BaseModel):
    name: str
    arn: str
    status: ModelCardStatus
    latest_version: int
    risk_rating: str | None
    model_package_arn: str | None
    last_modified_at: datetime


class PackageSearchSummary(BaseModel):
    name: str
    group: str
    version: int
    arn: str
    approval_status: ApprovalStatus
    last_modified_at: datetime


class GroupSearchSummary(BaseModel):
    name: str
    arn: str
    created_at: datetime


class AuditEventRead(BaseModel):
    seq: int
    occurred_at: datetime
    actor: str
    action: AuditAction
    resource_arn: str
    request_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    sha256: str
    previous_sha256: str | None


class VersionHistoryRead(BaseModel):
    model_package_arn: str
    model_card_name: str | None = Field(description="The card documenting the version now.")
    card_arns: list[str] = Field(
        description="Every card whose events are here: the one documenting the version now, "
        "and each card an approval of the version saw."
    )
    complete: bool = Field(
        description="False when a resource had more events than one history reads (1000)."
    )
    events: list[AuditEventRead] = Field(description="Oldest first.")


class BreakRead(BaseModel):
    resource: str = Field(description="The card, package or group, or 'audit trail'.")
    position: str = Field(
        examples=["version 3", "event 12", "state"],
        description="The version or event where it breaks, or 'state' for the stored state.",
    )
    field: str = Field(
        description="The stored field that does not hold.",
        examples=["chain_sha256", "approval_status", "details.CustomerMetadataProperties"],
    )
    stored: str | None = Field(
        description="The stored value (for 'history', the before value the event records)."
    )
    recomputed: str | None = Field(
        description="The value recomputed: the hash of what is stored ('hash'), or the value "
        "the resource's audit trail ends with ('state') or leaves before the event ('history')."
    )
    detail: str
    kind: Literal["hash", "state", "history"] = Field(
        "hash",
        description="'hash': a stored hash does not match; 'state': a stored field is not what "
        "the audit trail ends with; 'history': an event was made from a state other than the "
        "one the events before it left.",
    )


class VerificationRead(BaseModel):
    ok: bool = Field(description="True when no break was found.")
    card_versions: int
    package_card_versions: int
    audit_events: int
    resources: int = Field(0, description="Resources whose state was compared with the trail.")
    resources_before_trail: int = Field(
        0,
        description="Resources stored since before the audit trail's first event: compared "
        "only in what later events fix.",
    )
    breaks: list[BreakRead]


NDJSON = "application/x-ndjson"


class VerificationProgress(BaseModel):
    """How far one stage of a verification has got (a line of the streamed answer)."""

    stage: str
    done: int
    total: int


class VerificationLine(BaseModel):
    """One line of ``POST /verify`` answered as NDJSON: progress lines, then the result (or,
    should the walk fail, an error naming its request id)."""

    progress: VerificationProgress | None = None
    result: VerificationRead | None = None
    error: str | None = None


def _s3_location(location: str) -> str:
    if re.match(S3_REPORT_URI, location) is None:
        raise ValueError(
            "expected an s3://bucket/key URI: the server reads reports from S3 only (send a "
            "local file as the request body instead; `cardinal card attach-report` does)"
        )
    return location


ReportLocation = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2048),
    AfterValidator(_s3_location),
    Field(
        description="An s3://bucket/key URI, read from the server's S3-compatible store.",
        json_schema_extra={"pattern": S3_REPORT_URI},
    ),
]
# A model card's evaluation job name holds a character other than a line break.
EVALUATION_NAME_PATTERN = r"[^\n]"
EvaluationName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=EVALUATION_NAME_PATTERN),
    Field(description="The evaluation job of the card to put the metric groups in."),
]


class ReportAttach(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: ReportLocation
    kind: ReportKind
    evaluation: EvaluationName


class ReportAttached(BaseModel):
    name: str
    version: int = Field(description="The card version the report made.")
    evaluation: str
    kind: ReportKind
    source: str
    created_evaluation: bool
    groups_added: list[str] = Field(description="Names of the metric groups stored.")
    groups_replaced: list[str] = Field(description="Groups of the job the report replaced.")
