"""Verifying the evidence on demand: every hash chain, and every resource's state against its
audit trail."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.verification import VerificationReport
from cardinal.wire.evidence import (
    NDJSON,
    BreakRead,
    VerificationLine,
    VerificationProgress,
    VerificationRead,
    problem_responses,
)

log = logging.getLogger(__name__)

router = APIRouter(tags=["evidence"], responses=problem_responses(422))


@router.post(
    "/verify",
    response_model=VerificationRead,
    responses={
        200: {
            "content": {NDJSON: {"schema": {"type": "string"}}},
            "description": "The report; with `Accept: application/x-ndjson`, one JSON object "
            'per line: `{"progress": {"stage", "done", "total"}}` as the walk goes, then '
            '`{"result": <the report>}` (or `{"error": ...}` should the walk fail).',
        }
    },
)
async def verify_evidence(request: Request, services: ServicesDep, ctx: ContextDep) -> object:
    """Walk every hash chain, replay every resource's audit trail against its stored state,
    and report what does not hold.

    Answers 200 whether or not the evidence holds: ``ok`` is false and ``breaks`` lists each
    break (resource, position, field, stored and recomputed value, kind) when it does not.
    Nothing is repaired. Asked for ``application/x-ndjson``, it streams its progress first.
    """
    if NDJSON not in request.headers.get("accept", ""):
        return _read(await run_in_threadpool(services.verification.verify_evidence, ctx))
    services.verification.check_access(ctx)
    return StreamingResponse(_progress_then_result(services, ctx), media_type=NDJSON)


async def _progress_then_result(services: Services, ctx: RequestContext) -> AsyncIterator[bytes]:
    lines: queue.Queue[VerificationLine | None] = queue.Queue()

    def tick(stage: str, done: int, total: int) -> None:
        lines.put(
            VerificationLine(progress=VerificationProgress(stage=stage, done=done, total=total))
        )

    def walk() -> None:
        try:
            lines.put(
                VerificationLine(result=_read(services.verification.verify_evidence(ctx, tick)))
            )
        except Exception:
            log.exception("verification failed")
            lines.put(
                VerificationLine(
                    error="Cardinal failed to verify the evidence; its log has the error."
                )
            )
        finally:
            lines.put(None)

    threading.Thread(target=walk, name="cardinal-verify", daemon=True).start()
    while (line := await run_in_threadpool(lines.get)) is not None:
        yield line.model_dump_json(exclude_unset=True).encode() + b"\n"


def _read(report: VerificationReport) -> VerificationRead:
    return VerificationRead(
        ok=report.ok,
        card_versions=report.card_versions,
        package_card_versions=report.package_card_versions,
        audit_events=report.audit_events,
        resources=report.resources,
        resources_before_trail=report.resources_before_trail,
        breaks=[
            BreakRead(
                resource=b.resource,
                position=b.position,
                field=b.field,
                stored=b.stored,
                recomputed=b.recomputed,
                detail=b.detail,
                kind=b.kind,
            )
            for b in report.breaks
        ],
    )
