"""Attaching an evaluation report to a model card: read the report, turn it into metric groups,
and store them in one evaluation job of the card's latest content as the card's next version.

Within the evaluation job named by the caller (created at the end of ``evaluation_details`` if
the card has none of that name; the first one if it has several), each group of the report
replaces the job's groups of the same name where the first of them stood, and groups with new
names are added after the job's groups. Everything else in the card is kept as it is. So
attaching the same report again stores the same metrics again, as a new version, and never
duplicates a group.

Nothing is stored unless the whole report parses and the new content passes every rule of a
content update (``ModelCardService.update_model_card``).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from cardinal.content.card_content import MAX_CONTENT_CHARS
from cardinal.content.report_sources import (
    S3Settings,
    is_s3_uri,
    parse_report_bytes,
    read_report,
)
from cardinal.content.reports import ReportError, parse_report
from cardinal.domain.errors import AccessDenied, InvalidInput
from cardinal.domain.report_kinds import ReportKind
from cardinal.services.context import RequestContext
from cardinal.services.model_cards import ModelCardService


@dataclass(frozen=True)
class AttachedReport:
    """What an attach stored: the card's new version and the groups it put in the job."""

    card_name: str
    version: int
    evaluation_name: str
    kind: ReportKind
    source: str
    metric_groups: list[dict[str, Any]]
    replaced_group_names: list[str]  # groups of the job that the report's groups replaced
    created_evaluation: bool  # the card had no evaluation job of that name before


class EvaluationReportService:
    def __init__(self, cards: ModelCardService) -> None:
        self._cards = cards

    def attach_report(
        self,
        ctx: RequestContext,
        card_name_or_arn: str,
        location: str,
        kind: ReportKind,
        evaluation_name: str,
        s3: S3Settings | None = None,
        *,
        local_files: bool = True,
    ) -> AttachedReport:
        """Add the metric groups of the report at ``location`` to the card's evaluation job.

        ``location`` is a file path or ``s3://bucket/key``, read with ``s3``; with None no S3
        store is allowed (a server given none reaches no S3 for a caller). The card is found
        before the report is read. Raises AccessDenied (rule ``s3_settings``) for an S3 URI
        without ``s3``; ReportNotFound (a NotFound) for a bucket or object that does not exist;
        ReportError (an InvalidInput) when the report cannot be read or parsed, or would make
        the card content too long; InvalidInput for an empty evaluation name; and what
        ``describe_model_card`` and ``update_model_card`` raise (NotFound, InvalidState for an
        Archived card, ...). Nothing is stored when it raises.

        The card is read, then written: a content change another writer stores in between is
        not in the new version (it stays in the card's history).
        """
        if not evaluation_name:
            raise InvalidInput("The evaluation name must not be empty.", path=None)
        if s3 is None and is_s3_uri(location):
            raise AccessDenied(
                "This server reads reports from no S3-compatible store: an admin names one "
                "with CARDINAL_S3_ENDPOINT_URL or CARDINAL_S3_ACCESS_KEY_ID; or send the report "
                "itself in the request.",
                rule="s3_settings",
            )
        self._cards.describe_model_card(ctx, card_name_or_arn)
        document, source = read_report(location, s3=s3, local_files=local_files)
        return self.attach_document(ctx, card_name_or_arn, document, source, kind, evaluation_name)

    def attach_report_bytes(
        self,
        ctx: RequestContext,
        card_name_or_arn: str,
        data: bytes,
        source: str,
        kind: ReportKind,
        evaluation_name: str,
    ) -> AttachedReport:
        """:meth:`attach_report` for a report sent as bytes; ``source`` is the name its errors
        cite (the file it was read from, say)."""
        if not evaluation_name:
            raise InvalidInput("The evaluation name must not be empty.", path=None)
        document = parse_report_bytes(source, data)
        return self.attach_document(ctx, card_name_or_arn, document, source, kind, evaluation_name)

    def attach_document(
        self,
        ctx: RequestContext,
        card_name_or_arn: str,
        document: Any,
        source: str,
        kind: ReportKind,
        evaluation_name: str,
    ) -> AttachedReport:
        """:meth:`attach_report` for a report already read: ``document`` is its parsed JSON,
        ``source`` the name its errors cite."""
        if not evaluation_name:
            raise InvalidInput("The evaluation name must not be empty.", path=None)
        groups = parse_report(document, kind, source)
        described = self._cards.describe_model_card(ctx, card_name_or_arn)
        content = json.loads(described.version.content)
        created, replaced = _put_groups(content, evaluation_name, groups)
        text = json.dumps(content, ensure_ascii=False)
        if len(text) > MAX_CONTENT_CHARS:
            raise ReportError(
                source,
                None,
                f"with its metric groups the content of model card '{described.card.name}' "
                f"would be {len(text):,} characters long; the limit is {MAX_CONTENT_CHARS:,}",
            )
        card = self._cards.update_model_card(
            ctx, described.card.name, content=text, expected_version=described.version.version
        ).card
        return AttachedReport(
            card_name=card.name,
            version=card.latest_version,
            evaluation_name=evaluation_name,
            kind=kind,
            source=source,
            metric_groups=groups,
            replaced_group_names=replaced,
            created_evaluation=created,
        )


def _put_groups(
    content: dict[str, Any], evaluation_name: str, groups: list[dict[str, Any]]
) -> tuple[bool, list[str]]:
    """Put ``groups`` into the named evaluation job of ``content`` (changed in place).

    Returns whether the job was created, and the names of the groups that were replaced.
    """
    evaluations: list[dict[str, Any]] = content.setdefault("evaluation_details", [])
    job = next((e for e in evaluations if e.get("name") == evaluation_name), None)
    created = job is None
    if job is None:
        job = {"name": evaluation_name}
        evaluations.append(job)
    incoming: dict[str, list[dict[str, Any]]] = {}
    for group in groups:
        incoming.setdefault(group["name"], []).append(copy.deepcopy(group))
    merged: list[dict[str, Any]] = []
    replaced: list[str] = []
    for existing in job.get("metric_groups", []):
        name = existing.get("name")
        if name not in incoming:
            merged.append(existing)
        elif name not in replaced:
            replaced.append(name)
            merged.extend(incoming[name])
    merged.extend(g for name, same in incoming.items() if name not in replaced for g in same)
    job["metric_groups"] = merged
    return created, replaced
