"""Use cases of tags on groups, packages and cards, by the resource's ARN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import InvalidInput, LimitExceeded, NotFound
from cardinal.domain.identifiers import model_package_ref, parse_arn
from cardinal.domain.paging import Page
from cardinal.services.audit import record
from cardinal.services.context import RequestContext
from cardinal.store.unit_of_work import Store, UnitOfWork

MAX_TAGS_PER_RESOURCE = 50


def check_tag_count(existing: int, new_tags: Mapping[str, str]) -> None:
    if existing + len(new_tags) > MAX_TAGS_PER_RESOURCE:
        raise LimitExceeded(
            f"A resource may carry at most {MAX_TAGS_PER_RESOURCE} tags; this request would "
            f"give it {existing + len(new_tags)}."
        )


def _require_resource(uow: UnitOfWork, ctx: RequestContext, arn: str) -> None:
    parsed = parse_arn(arn)
    missing = NotFound(f"Resource '{arn}' does not exist.")
    if parsed is None:
        raise InvalidInput(f"'{arn}' is not a SageMaker ARN.", path="ResourceArn")
    if (parsed.account_id, parsed.region) != (ctx.scope.account_id, ctx.scope.region):
        raise missing
    if parsed.kind == "model-card" and uow.cards.find(ctx.scope, parsed.resource):
        return
    if parsed.kind == "model-package-group" and uow.groups.find(ctx.scope, parsed.resource):
        return
    if parsed.kind == "model-package":
        ref = model_package_ref(arn, ctx.scope)
        if ref and uow.packages.find(ctx.scope, ref.group_name, ref.version):
            return
    raise missing


class TagService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add_tags(self, ctx: RequestContext, arn: str, tags: Mapping[str, str]) -> dict[str, str]:
        """Add or overwrite tags; returns the tags given. Raises NotFound, LimitExceeded."""

        def work(uow: UnitOfWork) -> dict[str, str]:
            _require_resource(uow, ctx, arn)
            existing = uow.tags.all(arn)
            check_tag_count(len(existing), {k: v for k, v in tags.items() if k not in existing})
            changed = {k: v for k, v in tags.items() if existing.get(k) != v}
            uow.tags.put(arn, tags)
            if changed:
                before = {k: existing[k] for k in changed if k in existing}
                record(
                    uow, ctx, AuditAction.TAGS_ADD, arn,
                    before={"tags": before}, after={"tags": changed},
                )  # fmt: skip
            return dict(tags)

        return self._store.write(work)

    def list_tags(
        self, ctx: RequestContext, arn: str, limit: int, token: str | None
    ) -> Page[tuple[str, str]]:
        def work(uow: UnitOfWork) -> Page[tuple[str, str]]:
            _require_resource(uow, ctx, arn)
            return uow.tags.list_page(arn, limit, token)

        return self._store.read(work)

    def delete_tags(self, ctx: RequestContext, arn: str, keys: Sequence[str]) -> None:
        def work(uow: UnitOfWork) -> None:
            _require_resource(uow, ctx, arn)
            existing = uow.tags.all(arn)
            removed = {k: existing[k] for k in keys if k in existing}
            uow.tags.remove(arn, keys)
            if removed:
                record(uow, ctx, AuditAction.TAGS_REMOVE, arn, before={"tags": removed})

        self._store.write(work)
