"""The migrations build exactly the schema the tables describe, on both backends, and hash what
was stored before as the live hashing does."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from cardinal.content.canonical import content_sha256, version_chain_sha256
from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.store import database
from tests.support.contexts import OPERATOR
from tests.support.databases import PostgresDatabases, sqlite_url


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        yield sqlite_url(tmp_path, migrated=False)
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    with databases.fresh(migrated=False) as url:
        yield url


def test_upgrade_to_head_then_check(empty_database_url: str) -> None:
    engine = database.create_database_engine(empty_database_url)
    try:
        assert database.current_revision(engine) is None
        database.upgrade(engine)
        assert database.current_revision(engine) == database.head_revision()
        with engine.begin() as connection:
            command.check(database.alembic_config(connection))
        database.upgrade(engine)
        assert database.current_revision(engine) == database.head_revision()
    finally:
        engine.dispose()


def test_upgrading_hashes_what_was_stored_before(empty_database_url: str) -> None:
    engine = database.create_database_engine(empty_database_url)
    database.upgrade(engine, "0001")
    stamp = "'2026-01-01 00:00:00', 'alice', '2026-01-01 00:00:00', 'alice'"
    arn = "arn:aws:sagemaker:us-east-1:000000000000"
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO model_package_groups (account_id, region, name, arn, details, "
            "version_counter, created_at, created_by, last_modified_at, last_modified_by) "
            f"VALUES ('000000000000', 'us-east-1', 'g', '{arn}:model-package-group/g', '{{}}', 1, {stamp})",
            "INSERT INTO model_packages (group_id, account_id, region, group_name, version, name, "
            "arn, approval_status, details, model_card_content, model_card_status, created_at, "
            "created_by, last_modified_at, last_modified_by) VALUES (1, '000000000000', "
            f"'us-east-1', 'g', 1, 'g/1', '{arn}:model-package/g/1', 'Approved', '{{}}', "
            f"'{{\"model_overview\": {{}}}}', 'Draft', {stamp})",
            "INSERT INTO model_cards (account_id, region, name, arn, latest_version, status, "
            "created_at, created_by, last_modified_at, last_modified_by) VALUES ('000000000000', "
            f"'us-east-1', 'c', '{arn}:model-card/c', 2, 'Draft', {stamp})",
            "INSERT INTO model_card_versions (card_id, version, content, status, created_at, "
            f"created_by, last_modified_at, last_modified_by) VALUES (1, 1, '{{}}', 'Draft', {stamp})",
            "INSERT INTO model_card_versions (card_id, version, content, status, created_at, "
            f'created_by, last_modified_at, last_modified_by) VALUES (1, 2, \'{{"b": 1, "a": 2}}\', '
            f"'Draft', {stamp})",
        ):
            connection.execute(text(statement))
    database.upgrade(engine)
    engine.dispose()
    services = Services.for_database(empty_database_url)
    try:
        report = services.verification.verify_evidence(OPERATOR)
        assert report.ok, report.breaks
        assert (report.card_versions, report.package_card_versions) == (2, 1)
        ctx = RequestContext(Scope("000000000000", "us-east-1"), "alice", "test")
        package = services.packages.describe_model_package(ctx, f"{arn}:model-package/g/1")
        assert package.model_card is not None
        assert package.model_card.version == 1
    finally:
        services.close()


# Content texts that exercise the canonical form: key order, spacing, escapes, non-ASCII text,
# numbers RFC 8785 spells its own way, literals and nesting.
SAMPLE_CONTENTS = (
    "{}",
    '{"b": 1, "a": 2}',
    '{ "model_overview" : { "model_description" : "Pr\\u00e9dit l\u2019attrition \U0001f600\\n",'
    ' "model_version": 1.50 }, "intended_uses": {"risk_rating": "Low"}, "z": null, "t": true,'
    ' "evaluation_details": [{"metric_groups": [{"metric_data": ['
    '{"value": 1e21}, {"value": -0.0}, {"value": 0.1}, {"value": 100}, {"value": 5e-7}]}]}]}',
)


def _revision_0002() -> ModuleType:
    """Revision 0002 as Alembic loads it."""
    with create_engine("sqlite://").connect() as connection:
        revision = ScriptDirectory.from_config(database.alembic_config(connection)).get_revision(
            "0002"
        )
    assert revision is not None
    module: ModuleType = revision.module
    return module


@pytest.mark.parametrize("content", SAMPLE_CONTENTS)
def test_revision_0002_hashes_as_the_live_hashing_does(content: str) -> None:
    """Revision 0002 keeps its own copy of the hashing it stored with. When this fails, the live
    hashing has changed: hashes that revision wrote would no longer verify, so the change needs
    a migration of its own that rehashes them."""
    frozen = _revision_0002()
    content_hash = content_sha256(content)
    assert frozen.frozen_content_sha256(content) == content_hash
    arn = "arn:aws:sagemaker:us-east-1:000000000000:model-card/c"
    for version, previous in ((1, None), (2, "ab" * 32)):
        assert frozen.frozen_version_chain_sha256(
            arn, version, content_hash, previous
        ) == version_chain_sha256(arn, version, content_hash, previous)
