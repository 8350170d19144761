"""Verifying the evidence on demand: every hash chain, and every resource's state against its
audit trail."""

from __future__ import annotations

from fastapi import APIRouter

from cardinal.api.rest.context import ServicesDep
from cardinal.wire.evidence import BreakRead, VerificationRead

router = APIRouter(tags=["evidence"])


@router.post("/verify", response_model=VerificationRead)
def verify_evidence(services: ServicesDep) -> VerificationRead:
    """Walk every hash chain, replay every resource's audit trail against its stored state,
    and report what does not hold.

    Answers 200 whether or not the evidence holds: ``ok`` is false and ``breaks`` lists each
    break (resource, position, field, stored and recomputed value, kind) when it does not.
    Nothing is repaired.
    """
    report = services.verification.verify_evidence()
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
