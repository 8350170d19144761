"""The stored audit trail: appending to its hash chain, reading it back page by page or per
resource, and reading the resources it names as they are stored now, to compare the two."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, exists, insert, select, text, update

from cardinal.content.canonical import canonical_members, joined_sha256
from cardinal.domain.audit import AuditAction, AuditEvent, AuditQuery, audit_record
from cardinal.domain.paging import Page
from cardinal.store.pagination import fingerprint, read_page, stream_in_key_order
from cardinal.store.tables import (
    audit_chain,
    audit_events,
    model_card_versions,
    model_cards,
    model_package_groups,
    model_packages,
    models,
    tags,
    unversioned_model_packages,
)

_RESOURCE_TABLES = (
    model_package_groups,
    model_packages,
    unversioned_model_packages,
    model_cards,
    models,
)


# Every audited write runs these: built once, executed with parameters.
_CHAIN_HEAD_FOR_UPDATE = (
    select(audit_chain.c.last_seq, audit_chain.c.last_sha256)
    .where(audit_chain.c.id == 1)
    .with_for_update()
)
_INSERT_EVENT = insert(audit_events)
_ADVANCE_CHAIN_HEAD = (
    update(audit_chain)
    .where(audit_chain.c.id == 1)
    .values(last_seq=bindparam("new_seq"), last_sha256=bindparam("new_sha256"))
)
# PostgreSQL advances the head and inserts the event in one statement: one round trip less while
# the head's row lock, which every audited write waits for, is held. (SQLite has no UPDATE in a
# WITH clause, and no round trips.)
_ADVANCE_CHAIN_HEAD_AND_INSERT_EVENT = insert(audit_events).add_cte(
    _ADVANCE_CHAIN_HEAD.returning(audit_chain.c.id).cte("advanced")
)


def event_from_row(row: Row[Any]) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor=row.actor,
        action=AuditAction(row.action),
        resource_arn=row.resource_arn,
        request_id=row.request_id,
        before=row.before,
        after=row.after,
        previous_hash=row.previous_sha256,
        hash=row.sha256,
    )


class AuditRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def append(
        self,
        *,
        occurred_at: datetime,
        actor: str,
        action: AuditAction,
        resource_arn: str,
        request_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEvent:
        """Append one event; the chain head's row lock orders concurrent appends.

        Every audited write waits for the head, so the record is put in canonical form before
        the head is locked; only its place in the chain (``seq``, ``previous_sha256``) is added
        once the head is read."""
        members = canonical_members(
            audit_record(
                0, occurred_at, actor, action, resource_arn, request_id, before, after, None
            )
        )
        head = self._db.execute(_CHAIN_HEAD_FOR_UPDATE).one()
        seq = int(head.last_seq) + 1
        members.update(canonical_members({"seq": seq, "previous_sha256": head.last_sha256}))
        digest = joined_sha256(members)
        event = {
            "seq": seq,
            "occurred_at": occurred_at,
            "actor": actor,
            "action": action.value,
            "resource_arn": resource_arn,
            "request_id": request_id,
            "before": before,
            "after": after,
            "previous_sha256": head.last_sha256,
            "sha256": digest,
        }
        if self._db.dialect.name == "postgresql":
            self._db.execute(
                _ADVANCE_CHAIN_HEAD_AND_INSERT_EVENT,
                {**event, "new_seq": seq, "new_sha256": digest},
            )
        else:
            self._db.execute(_INSERT_EVENT, event)
            self._db.execute(_ADVANCE_CHAIN_HEAD, {"new_seq": seq, "new_sha256": digest})
        return AuditEvent(
            seq, occurred_at, actor, action, resource_arn, request_id, before, after,
            head.last_sha256, digest,
        )  # fmt: skip

    def head(self) -> tuple[int, str | None]:
        row = self._db.execute(
            select(audit_chain.c.last_seq, audit_chain.c.last_sha256).where(audit_chain.c.id == 1)
        ).one()
        return int(row.last_seq), row.last_sha256

    def count(self) -> int:
        return self.head()[0]

    def list_page(self, query: AuditQuery) -> Page[AuditEvent]:
        statement = select(audit_events)
        if query.resource_arn is not None:
            statement = statement.where(audit_events.c.resource_arn == query.resource_arn)
        if query.actor is not None:
            statement = statement.where(audit_events.c.actor == query.actor)
        if query.action is not None:
            statement = statement.where(audit_events.c.action == query.action.value)
        if query.leave_out:
            left_out = sorted(action.value for action in query.leave_out)
            statement = statement.where(audit_events.c.action.not_in(left_out))
        if query.since is not None:
            statement = statement.where(audit_events.c.occurred_at >= query.since)
        if query.until is not None:
            statement = statement.where(audit_events.c.occurred_at < query.until)
        parts: list[object] = [
            "audit", query.resource_arn, query.actor, query.action, query.since, query.until,
            query.newest_first,
        ]  # fmt: skip
        if query.leave_out:  # a list's tokens stay what they were before lists could leave out
            parts.append(sorted(query.leave_out))
        key = fingerprint(*parts)
        return read_page(
            self._db,
            statement,
            sort_column=audit_events.c.seq,
            id_column=audit_events.c.seq,
            descending=query.newest_first,
            limit=query.max_results,
            token=query.next_token,
            query=key,
            build=event_from_row,
        )

    def events_of(self, arns: Sequence[str], after_seq: int = 0) -> dict[str, list[AuditEvent]]:
        """The events of each of ``arns`` after event ``after_seq``, oldest first, by ARN."""
        found: dict[str, list[AuditEvent]] = {arn: [] for arn in arns}
        if not arns:
            return found
        rows = self._db.execute(
            select(audit_events)
            .where(audit_events.c.resource_arn.in_(list(arns)), audit_events.c.seq > after_seq)
            .order_by(audit_events.c.resource_arn, audit_events.c.seq)
        )
        for row in rows:
            found[row.resource_arn].append(event_from_row(row))
        return found

    def hashes(self, seqs: Sequence[int]) -> dict[int, str]:
        """The stored hash of each of the events ``seqs`` that exists."""
        if not seqs:
            return {}
        rows = self._db.execute(
            select(audit_events.c.seq, audit_events.c.sha256).where(
                audit_events.c.seq.in_(sorted(set(seqs)))
            )
        )
        return {int(row.seq): row.sha256 for row in rows}

    def stream(self) -> Iterator[AuditEvent]:
        """Every event in chain order, read in batches."""
        for row in stream_in_key_order(self._db, select(audit_events), (audit_events.c.seq,)):
            yield event_from_row(row)

    def read_one_snapshot(self) -> None:
        """Make every later read of this transaction see the same committed state.

        SQLite reads one snapshot from a transaction's first read on; PostgreSQL needs
        REPEATABLE READ for it, set before the transaction's first statement.
        """
        if self._db.dialect.name == "postgresql":
            self._db.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))

    def first_occurred_at(self) -> datetime | None:
        """When the trail's first event was appended; None while the trail is empty."""
        return self._db.execute(
            select(audit_events.c.occurred_at).order_by(audit_events.c.seq).limit(1)
        ).scalar()

    def stream_by_resource(self) -> Iterator[AuditEvent]:
        """Every event, grouped by resource ARN and in chain order within each resource."""
        keys = (audit_events.c.resource_arn, audit_events.c.seq)
        for row in stream_in_key_order(self._db, select(audit_events), keys):
            yield event_from_row(row)

    def stored_resources(self, arns: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored columns of the groups, packages (of any kind), cards and models among ``arns``, by
        ARN, as stored (no value is parsed, so an edited one is read as it is). A card's row
        carries its latest version's ``version_status``, ``version_content_sha256`` and
        ``version_chain_sha256``."""
        found: dict[str, dict[str, Any]] = {}
        if not arns:
            return found
        wanted = list(arns)
        versions = model_card_versions
        statements = [
            select(model_package_groups).where(model_package_groups.c.arn.in_(wanted)),
            select(model_packages).where(model_packages.c.arn.in_(wanted)),
            select(
                model_cards,
                versions.c.status.label("version_status"),
                versions.c.content_sha256.label("version_content_sha256"),
                versions.c.chain_sha256.label("version_chain_sha256"),
            )
            .outerjoin(
                versions,
                and_(
                    versions.c.card_id == model_cards.c.id,
                    versions.c.version == model_cards.c.latest_version,
                ),
            )
            .where(model_cards.c.arn.in_(wanted)),
            select(models).where(models.c.arn.in_(wanted)),
            select(unversioned_model_packages).where(unversioned_model_packages.c.arn.in_(wanted)),
        ]
        for statement in statements:
            for row in self._db.execute(statement):
                found[row.arn] = dict(row._mapping)
        return found

    def stream_resources_without_events(self) -> Iterator[tuple[str, datetime]]:
        """The ARN and creation time of each stored group, package, card and model that no
        event names, in ARN order per kind."""
        for table in _RESOURCE_TABLES:
            statement = select(table.c.arn, table.c.created_at).where(
                ~exists().where(audit_events.c.resource_arn == table.c.arn)
            )
            for row in stream_in_key_order(self._db, statement, (table.c.arn,)):
                yield row.arn, row.created_at

    def stream_untracked_tags(self) -> Iterator[tuple[str, str, str]]:
        """Each stored tag (ARN, key, value) of a resource that is not stored and that no event
        names, in ARN and key order."""
        statement = select(tags.c.resource_arn, tags.c.key, tags.c.value).where(
            ~exists().where(audit_events.c.resource_arn == tags.c.resource_arn),
            *(~exists().where(table.c.arn == tags.c.resource_arn) for table in _RESOURCE_TABLES),
        )
        keys = (tags.c.resource_arn, tags.c.key)
        for row in stream_in_key_order(self._db, statement, keys):
            yield row.resource_arn, row.key, row.value
