"""Writers of one contended row are served in the order they asked, on both backends.

A writer that asked later, or that has just committed and asks for the same row again, must
not take it ahead of writers that were already waiting: on SQLite the writers' turn is handed over in order; on
PostgreSQL, whose row locks let a newcomer take a row ahead of a sleeping waiter, a writer
first waits in line on an advisory lock named after the row.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine, text

from cardinal.domain.model_cards import ModelCardStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.store.database import WritersTurn, writers_turn
from cardinal.store.unit_of_work import Store, UnitOfWork
from tests.support.statements import statements_sent

ROUNDS = 10


def _waiting_writers(engine: Engine) -> int:
    if engine.dialect.name == "sqlite":
        turn = writers_turn(engine)
        assert isinstance(turn, WritersTurn)
        return turn.waiting
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        )


def _one_round(store: Store, take: Callable[[UnitOfWork], None]) -> list[str]:
    """A holds the row; B, C and D ask for it in turn and wait; A commits and asks again at
    once. The order in which they got the row."""
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def first(uow: UnitOfWork) -> None:
        take(uow)
        holding.set()
        release.wait(10)

    def then(name: str) -> Callable[[], None]:
        def work(uow: UnitOfWork) -> None:
            take(uow)
            order.append(name)

        return lambda: store.write(work, audited=False)

    def a_writer() -> None:
        store.write(first, audited=False)
        then("A again")()

    a = threading.Thread(target=a_writer)
    a.start()
    assert holding.wait(10)
    others: list[threading.Thread] = []
    for name in ("B", "C", "D"):
        others.append(threading.Thread(target=then(name)))
        others[-1].start()
        deadline = time.monotonic() + 10
        while _waiting_writers(store.engine) < len(others) and time.monotonic() < deadline:
            time.sleep(0.005)
    release.set()
    for thread in (a, *others):
        thread.join(10)
    return order


def _first_come_first_served(services: Services, take: Callable[[UnitOfWork], None]) -> None:
    for round_ in range(ROUNDS):
        order = _one_round(services.store, take)
        assert order == ["B", "C", "D", "A again"], f"round {round_ + 1}: {order}"


def test_writers_of_one_group_are_served_in_the_order_they_asked(
    services: Services, ctx: RequestContext
) -> None:
    group = services.groups.create_model_package_group(ctx, "queued")

    def take(uow: UnitOfWork) -> None:
        found = uow.groups.get(ctx.scope, group.name, for_update=True)
        uow.connection.execute(  # a new row version, as a registration makes
            text("UPDATE model_package_groups SET version_counter = :n WHERE id = :id"),
            {"n": found.version_counter + 1, "id": found.id},
        )

    _first_come_first_served(services, take)


def test_writers_of_one_card_are_served_in_the_order_they_asked(
    services: Services, ctx: RequestContext
) -> None:
    services.cards.create_model_card(ctx, "queued", "{}", ModelCardStatus.DRAFT)

    def take(uow: UnitOfWork) -> None:
        card = uow.cards.find(ctx.scope, "queued", for_update=True)
        assert card is not None
        uow.connection.execute(
            text("UPDATE model_cards SET last_modified_by = 'queue' WHERE id = :id"),
            {"id": card.id},
        )

    _first_come_first_served(services, take)


def test_a_writer_waits_in_line_and_locks_the_row_in_one_statement(
    services: Services, ctx: RequestContext
) -> None:
    """Between being served and holding the row, every writer behind waits: on PostgreSQL the
    advisory lock and the row lock are one round trip; the row read is the current one."""
    services.groups.create_model_package_group(ctx, "queued", description="first")
    services.cards.create_model_card(ctx, "queued", "{}", ModelCardStatus.DRAFT)

    def take(uow: UnitOfWork) -> tuple[str | None, str]:
        group = uow.groups.get(ctx.scope, "queued", for_update=True)
        card = uow.cards.find(ctx.scope, "queued", for_update=True)
        assert card is not None
        return group.description, card.name

    engine = services.store.engine
    with statements_sent(engine) as statements:
        found = services.store.write(take, audited=False)
    assert found == ("first", "queued")
    locking = [s for s in statements if "FOR UPDATE" in s or "pg_advisory_xact_lock" in s]
    if engine.dialect.name == "postgresql":
        assert len(locking) == 2, statements
        assert all("pg_advisory_xact_lock" in s and "FOR UPDATE" in s for s in locking)
    else:
        assert locking == [], statements  # SQLite's writers take turns by the writers' turn
