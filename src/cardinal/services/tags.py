"""Use cases of tags on groups, packages (of either kind), cards and models, by the resource's
ARN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import InputField, InvalidInput, LimitExceeded, NotFound
from cardinal.domain.identifiers import model_package_ref, parse_arn
from cardinal.domain.models import model_arn
from cardinal.domain.paging import Page
from cardinal.domain.tags import MAX_TAGS_PER_RESOURCE, check_tag_keys
from cardinal.domain.unversioned_packages import unversioned_package_name
from cardinal.services.audit import record
from cardinal.services.context import RequestContext
from cardinal.store.unit_of_work import Store, UnitOfWork


def check_new_tags(existing: int, new_tags: Mapping[str, str]) -> None:
    """Refuse ``new_tags`` for a resource that carries ``existing`` tags: a reserved key
    (InvalidInput), or more than the limit in all (LimitExceeded)."""
    check_tag_keys(new_tags)
    if existing + len(new_tags) > MAX_TAGS_PER_RESOURCE:
        raise LimitExceeded(
            f"A resource may carry at most {MAX_TAGS_PER_RESOURCE} tags; this request would "
            f"give it {existing + len(new_tags)}."
        )


def _canonical_arn(ctx: RequestContext, arn: str) -> str:
    """``arn`` as the request's scope spells it, so tags are only ever kept under the ARN the
    scope builds. An ARN of another partition is InvalidInput; anything else that is not an ARN
    of this scope comes back as given, for the resource look-up to refuse."""
    parsed = parse_arn(arn, ctx.scope, what="resource", field=InputField.RESOURCE)
    if parsed is None or not parsed.is_in(ctx.scope):
        return arn
    if parsed.kind == "model":
        return model_arn(ctx.scope, parsed.resource)
    return ctx.scope.arn(parsed.kind, parsed.resource)


def _require_resource(
    uow: UnitOfWork, ctx: RequestContext, arn: str, *, lock: bool = False
) -> str | None:
    """The group whose grants govern the resource ``arn`` names (None: no group); NotFound
    unless it names one here. ``lock`` holds the resource's row lock, which serialises tag
    changes on it so that the tag limit holds under concurrency."""
    parsed = parse_arn(arn)
    missing = NotFound(f"Resource '{arn}' does not exist.")
    if parsed is None:
        raise InvalidInput(f"'{arn}' is not a SageMaker ARN.", field=InputField.RESOURCE)
    if not parsed.is_in(ctx.scope):
        raise missing
    if parsed.kind == "model-card":
        card = uow.cards.find(ctx.scope, parsed.resource, for_update=lock)
        if card is not None:
            ref = model_package_ref(card.model_package_arn or "", ctx.scope)
            return None if ref is None else ref.group_name
    if parsed.kind == "model-package-group" and uow.groups.find(
        ctx.scope, parsed.resource, for_update=lock
    ):
        return parsed.resource
    if parsed.kind == "model-package":
        ref = model_package_ref(arn, ctx.scope)
        if ref and uow.packages.find(ctx.scope, ref.group_name, ref.version, for_update=lock):
            return ref.group_name
        name = unversioned_package_name(arn, ctx.scope)
        if name and uow.unversioned_packages.find(ctx.scope, name, for_update=lock):
            return None
    if parsed.kind == "model" and uow.models.find(ctx.scope, parsed.resource, for_update=lock):
        return None
    raise missing


class TagService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add_tags(self, ctx: RequestContext, arn: str, tags: Mapping[str, str]) -> dict[str, str]:
        """Add or overwrite tags; returns the tags given. Raises InvalidInput (ARN of another
        partition, reserved key), NotFound, LimitExceeded."""
        arn = _canonical_arn(ctx, arn)
        check_tag_keys(tags)

        def work(uow: UnitOfWork) -> dict[str, str]:
            ctx.require(Action.WRITE, _require_resource(uow, ctx, arn, lock=True))
            existing = uow.tags.all(arn)
            check_new_tags(len(existing), {k: v for k, v in tags.items() if k not in existing})
            changed = {k: v for k, v in tags.items() if existing.get(k) != v}
            if changed:
                uow.tags.put(arn, changed)
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
        ctx.require(Action.READ)
        arn = _canonical_arn(ctx, arn)

        def work(uow: UnitOfWork) -> Page[tuple[str, str]]:
            _require_resource(uow, ctx, arn)
            return uow.tags.list_page(arn, limit, token)

        return self._store.read(work)

    def delete_tags(self, ctx: RequestContext, arn: str, keys: Sequence[str]) -> None:
        """Remove tags; keys not there are no error. Raises InvalidInput (ARN of another
        partition, reserved key), NotFound."""
        arn = _canonical_arn(ctx, arn)
        check_tag_keys(keys, InputField.TAG_KEYS)

        def work(uow: UnitOfWork) -> None:
            ctx.require(Action.WRITE, _require_resource(uow, ctx, arn, lock=True))
            existing = uow.tags.all(arn)
            removed = {k: existing[k] for k in keys if k in existing}
            uow.tags.remove(arn, keys)
            if removed:
                record(uow, ctx, AuditAction.TAGS_REMOVE, arn, before={"tags": removed})

        self._store.write(work)
