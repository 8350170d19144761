"""All services over one store: what every door is given."""

from __future__ import annotations

from dataclasses import dataclass

from cardinal.content.card_content import prepare_validators
from cardinal.domain.webhooks import Destinations
from cardinal.services.approvals import ApprovalPolicyService
from cardinal.services.audit import AuditService
from cardinal.services.card_diffs import CardDiffService
from cardinal.services.carry_over import CarryOverService
from cardinal.services.documents import DocumentService
from cardinal.services.evaluation_reports import EvaluationReportService
from cardinal.services.evidence_packs import EvidencePackService
from cardinal.services.export_artifacts import ExportArtifactService
from cardinal.services.export_jobs import ExportJobService
from cardinal.services.gate import GateService
from cardinal.services.identities import IdentityService
from cardinal.services.model_cards import ModelCardService
from cardinal.services.model_package_groups import ModelPackageGroupService
from cardinal.services.model_packages import ModelPackageService
from cardinal.services.models import ModelService
from cardinal.services.point_in_time import PointInTimeService
from cardinal.services.search import SearchService
from cardinal.services.secret_box import SecretBox
from cardinal.services.tags import TagService
from cardinal.services.timeline import TimelineService
from cardinal.services.unversioned_packages import UnversionedPackageService
from cardinal.services.verification import VerificationService
from cardinal.services.webhooks import WebhookService
from cardinal.store.database import create_database_engine
from cardinal.store.objects import NoObjectStore, ObjectStore
from cardinal.store.unit_of_work import Store


@dataclass(frozen=True)
class Services:
    groups: ModelPackageGroupService
    packages: ModelPackageService
    cards: ModelCardService
    tags: TagService
    search: SearchService
    audit: AuditService
    carry_over: CarryOverService
    card_diffs: CardDiffService
    reports: EvaluationReportService
    gate: GateService
    verification: VerificationService
    documents: DocumentService
    export_jobs: ExportJobService
    export_artifacts: ExportArtifactService
    identities: IdentityService
    policies: ApprovalPolicyService
    timelines: TimelineService
    past: PointInTimeService
    evidence_packs: EvidencePackService
    webhooks: WebhookService
    models: ModelService
    unversioned_packages: UnversionedPackageService
    store: Store

    @classmethod
    def over(
        cls,
        store: Store,
        outputs: ObjectStore | None = None,
        secrets: SecretBox | None = None,
        destinations: Destinations | None = None,
    ) -> Services:
        """``outputs`` is where export jobs write; without one, export jobs run here fail with
        a reason. ``secrets`` seals access keys' secrets; without it, a key of this process
        only (access keys created then can't be verified by another). The composition root
        passes what the settings name. ``destinations``: where webhooks may be sent (none
        unless given)."""
        box = secrets or SecretBox(SecretBox.new_key())
        outputs = outputs or NoObjectStore()
        cards = ModelCardService(store)
        past = PointInTimeService(store)
        return cls(
            groups=ModelPackageGroupService(store),
            packages=ModelPackageService(store),
            cards=cards,
            tags=TagService(store),
            search=SearchService(store),
            audit=AuditService(store),
            carry_over=CarryOverService(store, cards),
            card_diffs=CardDiffService(cards),
            reports=EvaluationReportService(cards),
            gate=GateService(store),
            verification=VerificationService(store),
            documents=DocumentService(store),
            export_jobs=ExportJobService(store, outputs),
            export_artifacts=ExportArtifactService(store, outputs),
            identities=IdentityService(store, box),
            policies=ApprovalPolicyService(store),
            timelines=TimelineService(store),
            past=past,
            evidence_packs=EvidencePackService(store, past),
            webhooks=WebhookService(store, box, destinations or Destinations()),
            models=ModelService(store),
            unversioned_packages=UnversionedPackageService(store),
            store=store,
        )

    @classmethod
    def for_database(
        cls,
        url: str,
        outputs: ObjectStore | None = None,
        secrets: SecretBox | None = None,
        destinations: Destinations | None = None,
    ) -> Services:
        return cls.over(Store(create_database_engine(url)), outputs, secrets, destinations)

    def prepare(self) -> None:
        """Make ready, before requests come, what the first requests would otherwise make: the
        card content validators and the database engine's first connection (the dialect's
        first-connect checks run on it)."""
        prepare_validators()
        with self.store.engine.connect():
            pass

    def close(self) -> None:
        self.store.engine.dispose()
