"""Eight writers in two server processes on one database: no gap, duplicate or lost update."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_client
from tests.support.server import RunningServer, start_server

WRITERS = 8
ROUNDS = 12


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[list[RunningServer]]:
    servers = [start_server(database_url, tmp_path / f"server-{i}") for i in range(2)]
    yield servers
    for server in servers:
        server.stop()


def _writer(endpoint: str, writer: int) -> list[str]:
    sm: Any = make_client(endpoint, key=f"writer-{writer}")
    arns = []
    for round_ in range(ROUNDS):
        arns.append(sm.create_model_package(ModelPackageGroupName="race")["ModelPackageArn"])
        content = {"model_overview": {"model_description": f"writer {writer} round {round_}"}}
        sm.update_model_card(ModelCardName="race-card", Content=json.dumps(content))
    return arns


def test_eight_writers_in_two_processes(two_servers: list[RunningServer]) -> None:
    sm: Any = make_client(two_servers[0].url)
    sm.create_model_package_group(ModelPackageGroupName="race")
    sm.create_model_card(ModelCardName="race-card", Content="{}", ModelCardStatus="Draft")

    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(
            pool.map(
                lambda w: _writer(two_servers[w % 2].url, w),
                range(WRITERS),
            )
        )

    total = WRITERS * ROUNDS
    returned = sorted(int(arn.rsplit("/", 1)[1]) for arns in results for arn in arns)
    assert returned == list(range(1, total + 1))
    stored = []
    for page in sm.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName="race", PaginationConfig={"PageSize": 100}
    ):
        stored.extend(p["ModelPackageVersion"] for p in page["ModelPackageSummaryList"])
    assert sorted(stored) == list(range(1, total + 1))

    versions = []
    for page in sm.get_paginator("list_model_card_versions").paginate(ModelCardName="race-card"):
        versions.extend(v["ModelCardVersion"] for v in page["ModelCardVersionSummaryList"])
    assert sorted(versions) == list(range(1, total + 2))
    descriptions = set()
    for version in range(2, total + 2):
        card = sm.describe_model_card(ModelCardName="race-card", ModelCardVersion=version)
        descriptions.add(json.loads(card["Content"])["model_overview"]["model_description"])
    assert descriptions == {f"writer {w} round {r}" for w in range(WRITERS) for r in range(ROUNDS)}
