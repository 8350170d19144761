"""The rules of model cards, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from cardinal.content.canonical import content_sha256, version_hashes
from cardinal.content.card_content import CardFlavour, card_facts, parse_card_content
from cardinal.domain.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from cardinal.domain.identifiers import Scope
from cardinal.domain.model_cards import LinkedPackageNotFound, ModelCardStatus
from cardinal.domain.paging import PageRequest
from cardinal.services.container import Services
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_packages import NewModelPackage
from cardinal.store.unit_of_work import UnitOfWork
from tests.support.statements import statements_sent

DRAFT, APPROVED, ARCHIVED = (
    ModelCardStatus.DRAFT,
    ModelCardStatus.APPROVED,
    ModelCardStatus.ARCHIVED,
)


def _content(description: str, **extra: object) -> str:
    return json.dumps({"model_overview": {"model_description": description}, **extra})


def test_content_change_makes_a_new_version_and_status_change_does_not(
    services: Services, ctx: RequestContext
) -> None:
    cards = services.cards
    cards.create_model_card(ctx, "c", _content("one"), DRAFT)
    cards.update_model_card(ctx, "c", status=ModelCardStatus.PENDING_REVIEW)
    assert cards.describe_model_card(ctx, "c").version.version == 1
    cards.update_model_card(ctx, "c", content=_content("two"))
    latest = cards.describe_model_card(ctx, "c")
    assert latest.version.version == 2
    assert latest.version.status is ModelCardStatus.PENDING_REVIEW
    first = cards.describe_model_card(ctx, "c", 1)
    assert first.version.content == _content("one")
    cards.update_model_card(ctx, "c", status=APPROVED)
    assert cards.describe_model_card(ctx, "c", 1).version.status is ModelCardStatus.PENDING_REVIEW
    assert cards.describe_model_card(ctx, "c").version.status is APPROVED


def test_an_update_answers_with_the_version_and_card_as_stored(
    services: Services, ctx: RequestContext
) -> None:
    cards = services.cards
    cards.create_model_card(ctx, "c", _content("one"), DRAFT)
    cards.update_model_card(ctx, "c", status=ModelCardStatus.PENDING_REVIEW)
    for change in (
        {"content": _content("two")},
        {"status": APPROVED},
        {"content": _content("three")},
    ):
        answered = cards.update_model_card(ctx, "c", **change)  # type: ignore[arg-type]
        stored = cards.describe_model_card(ctx, "c")
        assert answered.version == stored.version
        assert answered.card == stored.card


def test_content_and_status_together_are_refused_and_change_nothing(
    services: Services, ctx: RequestContext
) -> None:
    services.cards.create_model_card(ctx, "c", _content("one"), DRAFT)
    with pytest.raises(InvalidInput, match="both model card content and model card status"):
        services.cards.update_model_card(ctx, "c", content=_content("two"), status=APPROVED)
    described = services.cards.describe_model_card(ctx, "c")
    assert (described.version.version, described.version.status) == (1, DRAFT)


def test_an_archived_card_takes_no_content_but_keeps_its_history(
    services: Services, ctx: RequestContext
) -> None:
    services.cards.create_model_card(ctx, "c", _content("one"), DRAFT)
    services.cards.update_model_card(ctx, "c", status=ARCHIVED)
    with pytest.raises(InvalidState, match="Archived"):
        services.cards.update_model_card(ctx, "c", content=_content("two"))
    assert services.cards.describe_model_card(ctx, "c").version.content == _content("one")


def test_content_is_stored_exactly_as_given(services: Services, ctx: RequestContext) -> None:
    text = '{ "model_overview" : {"model_description": "caf\\u00e9 ☕", "model_owner": "x"} }\n'
    services.cards.create_model_card(ctx, "c", text, DRAFT)
    assert services.cards.describe_model_card(ctx, "c").version.content == text


def test_names_are_unique_and_versions_must_exist(services: Services, ctx: RequestContext) -> None:
    services.cards.create_model_card(ctx, "c", "{}", DRAFT)
    with pytest.raises(AlreadyExists):
        services.cards.create_model_card(ctx, "c", "{}", DRAFT)
    with pytest.raises(NotFound, match="no version 7"):
        services.cards.describe_model_card(ctx, "c", 7)
    with pytest.raises(NotFound):
        services.cards.describe_model_card(ctx, "missing")


def test_a_package_version_is_documented_by_at_most_one_card(
    services: Services, ctx: RequestContext
) -> None:
    services.groups.create_model_package_group(ctx, "g")
    package = services.packages.register_model_package(ctx, "g", NewModelPackage())
    link = {"model_package_arn": package.arn, "model_package_group_name": "g"}
    services.cards.create_model_card(ctx, "a", json.dumps({"model_package_details": link}), DRAFT)
    with pytest.raises(InvalidState, match="already documented by model card 'a'"):
        services.cards.create_model_card(
            ctx, "b", json.dumps({"model_package_details": link}), DRAFT
        )
    services.cards.create_model_card(ctx, "b", "{}", DRAFT)
    with pytest.raises(InvalidState, match="model card 'a'"):
        services.cards.update_model_card(
            ctx, "b", content=json.dumps({"model_package_details": link})
        )
    assert services.cards.describe_model_card(ctx, "b").version.version == 1
    services.cards.update_model_card(ctx, "a", content=json.dumps({"model_package_details": link}))
    services.cards.delete_model_card(ctx, "a")
    services.cards.update_model_card(ctx, "b", content=json.dumps({"model_package_details": link}))
    assert services.cards.describe_model_card(ctx, "b").card.model_package_arn == package.arn


def test_a_link_must_name_an_existing_version(services: Services, ctx: RequestContext) -> None:
    arn = ctx.scope.arn("model-package", "g/1")
    with pytest.raises(LinkedPackageNotFound) as error:
        services.cards.create_model_card(
            ctx, "a", json.dumps({"model_package_details": {"model_package_arn": arn}}), DRAFT
        )
    assert error.value.path == "$.model_package_details.model_package_arn"


def test_cards_live_in_their_region(services: Services, ctx: RequestContext) -> None:
    elsewhere = RequestContext(Scope(ctx.scope.account_id, "eu-west-1"), "bob", "r")
    services.cards.create_model_card(ctx, "c", _content("us"), DRAFT)
    services.cards.create_model_card(elsewhere, "c", _content("eu"), DRAFT)
    assert services.cards.describe_model_card(elsewhere, "c").version.content == _content("eu")
    assert services.cards.describe_model_card(ctx, "c").card.arn.startswith(
        "arn:aws:sagemaker:us-east-1:"
    )
    with pytest.raises(NotFound):
        services.cards.describe_model_card(elsewhere, ctx.scope.arn("model-card", "c"))
    page = services.cards.list_model_cards(elsewhere, PageRequest(sort_by="Name"))
    assert [c.arn for c in page.items] == [elsewhere.scope.arn("model-card", "c")]


def test_listing_is_stable_while_cards_are_added(services: Services, ctx: RequestContext) -> None:
    for i in range(7):
        services.cards.create_model_card(ctx, f"card-{i}", "{}", DRAFT)
    first = services.cards.list_model_cards(ctx, PageRequest(sort_by="CreationTime", max_results=3))
    services.cards.create_model_card(ctx, "card-late", "{}", DRAFT)
    seen = [c.name for c in first.items]
    token = first.next_token
    while token:
        page = services.cards.list_model_cards(
            ctx, PageRequest(sort_by="CreationTime", max_results=3, next_token=token)
        )
        seen.extend(c.name for c in page.items)
        token = page.next_token
    assert seen == [f"card-{i}" for i in range(7)] + ["card-late"]


def test_a_token_from_another_list_is_refused(services: Services, ctx: RequestContext) -> None:
    for i in range(3):
        services.cards.create_model_card(ctx, f"card-{i}", "{}", DRAFT)
    page = services.cards.list_model_cards(ctx, PageRequest(sort_by="Name", max_results=1))
    with pytest.raises(InvalidInput, match="NextToken"):
        services.cards.list_model_cards(
            ctx, PageRequest(sort_by="CreationTime", max_results=1, next_token=page.next_token)
        )


def test_an_edit_based_on_a_stale_version_is_refused(
    services: Services, ctx: RequestContext
) -> None:
    services.cards.create_model_card(ctx, "c", _content("one"), DRAFT)
    services.cards.update_model_card(ctx, "c", content=_content("two"), expected_version=1)
    with pytest.raises(InvalidState, match="is at version 2, not 1"):
        services.cards.update_model_card(ctx, "c", content=_content("lost"), expected_version=1)
    latest = services.cards.describe_model_card(ctx, "c")
    assert (latest.version.version, latest.version.content) == (2, _content("two"))


def test_a_content_change_advances_the_card_and_stores_its_version_together(
    services: Services, ctx: RequestContext
) -> None:
    """The card row moves to the new version and the version row is stored in one statement on
    PostgreSQL (the card's row lock is held meanwhile); a version that does not follow the
    latest stores nothing, on both backends."""
    cards = services.cards
    cards.create_model_card(ctx, "c", _content("one"), DRAFT)
    content = _content("two")
    facts = card_facts(parse_card_content(content, CardFlavour.MODEL_CARD))

    def add(version: int) -> Callable[[UnitOfWork], None]:
        def work(uow: UnitOfWork) -> None:
            card = uow.cards.find(ctx.scope, "c", for_update=True)
            assert card is not None
            previous = uow.cards.find_version(card.id, card.latest_version)
            assert previous is not None
            hashes = version_hashes(
                card.arn, version, content_sha256(content), previous.chain_sha256
            )
            uow.cards.add_version(card, version, content, hashes, facts, utcnow(), "alice")

        return work

    with pytest.raises(RuntimeError, match="does not follow its latest"):
        services.store.write(add(3), audited=False)
    assert cards.describe_model_card(ctx, "c").version.version == 1
    _, listed = cards.list_model_card_versions(ctx, "c", PageRequest(sort_by="CreationTime"))
    assert [v.version for v in listed.items] == [1]
    engine = services.store.engine
    with statements_sent(engine) as statements:
        services.store.write(add(2), audited=False)
    stored = cards.describe_model_card(ctx, "c")
    assert (stored.card.latest_version, stored.version.version) == (2, 2)
    assert stored.version.content == content
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "WITH"))]
    assert len(writes) == (1 if engine.dialect.name == "postgresql" else 2), writes


def test_a_content_change_that_keeps_the_link_reads_neither_the_package_nor_other_cards(
    services: Services, ctx: RequestContext
) -> None:
    """A link already stored names a version that exists (a documented version cannot be
    deleted) and that no other card documents (one card per version, a unique index), so a
    change that keeps it is not checked again while the card is held; a changed link is."""
    services.groups.create_model_package_group(ctx, "g")
    first = services.packages.register_model_package(ctx, "g", NewModelPackage())
    second = services.packages.register_model_package(ctx, "g", NewModelPackage())

    def linked(arn: str, description: str) -> str:
        return _content(description, model_package_details={"model_package_arn": arn})

    services.cards.create_model_card(ctx, "c", linked(first.arn, "one"), DRAFT)
    engine = services.store.engine
    with statements_sent(engine) as kept:
        services.cards.update_model_card(ctx, "c", content=linked(first.arn, "two"))
    assert not [s for s in kept if "FROM model_packages" in s], kept
    assert len([s for s in kept if "FROM model_cards" in s]) == 1, kept
    with statements_sent(engine) as changed:
        services.cards.update_model_card(ctx, "c", content=linked(second.arn, "three"))
    assert [s for s in changed if "FROM model_packages" in s], changed
    described = services.cards.describe_model_card(ctx, "c")
    assert (described.version.version, described.card.model_package_arn) == (3, second.arn)
    with pytest.raises(InvalidState, match="documented by model card 'c'"):
        services.packages.delete_model_package(ctx, second.arn)
    services.packages.delete_model_package(ctx, first.arn)
