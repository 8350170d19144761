"""`cardinal card diff`, run as the real command against a seeded SQLite store."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cardinal.domain.identifiers import Scope
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.store import database
from tests.unit.test_card_diff import churn_card

CARD = "churn-v1"
MATRIX = "$.evaluation_details[0].metric_groups[0].metric_data[2].value"


@dataclass(frozen=True)
class SeededStore:
    data_dir: Path
    url: str
    versions: list[dict[str, Any]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SeededStore:
    """A migrated SQLite store holding the churn card in two versions."""
    data_dir = tmp_path_factory.mktemp("cardinal")
    url = f"sqlite:///{data_dir / 'cardinal.db'}"
    engine = database.create_database_engine(url)
    database.upgrade(engine)
    engine.dispose()
    v1 = churn_card()
    del v1["model_package_details"]["model_package_arn"]
    v2 = copy.deepcopy(v1)
    v2["intended_uses"]["risk_rating"] = "High"
    v2["business_details"]["line_of_business"] = "Retail"
    v2["evaluation_details"][0]["metric_groups"][0]["metric_data"][2]["value"] = [
        [820, 33],
        [49, 298],
    ]
    del v2["additional_information"]["caveats_and_recommendations"]
    services = Services.for_database(url)
    try:
        ctx = RequestContext(Scope("000000000000", "us-east-1"), "seed", "seed")
        services.cards.create_model_card(ctx, CARD, json.dumps(v1), ModelCardStatus.DRAFT)
        services.cards.update_model_card(ctx, CARD, content=json.dumps(v2))
    finally:
        services.close()
    return SeededStore(data_dir, url, [v1, v2])


def cardinal(store: SeededStore, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CARDINAL_")}
    command = [sys.executable, "-m", "cardinal", "card", "diff", *args]
    command += ["--data-dir", str(store.data_dir), "--database-url", store.url]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_text_diff_of_two_versions(store: SeededStore) -> None:
    ran = cardinal(store, CARD, "1", "2")
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == [
        "model card churn-v1: version 1 -> version 2, 4 changes",
        "~ $.intended_uses.risk_rating: 'Medium' -> 'High'",
        "+ $.business_details.line_of_business: 'Retail'",
        f"~ {MATRIX}: [[812,41],[57,290]] -> [[820,33],[49,298]]",
        "- $.additional_information.caveats_and_recommendations: "
        "'Retrain quarterly; scores drift after price changes.'",
    ]


def test_no_changes_still_exits_zero(store: SeededStore) -> None:
    ran = cardinal(store, CARD, "2")
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == ["model card churn-v1: version 2 -> version 2, no changes"]


def test_json_output_parses(store: SeededStore) -> None:
    ran = cardinal(store, CARD, "1", "--output", "json")
    assert ran.returncode == 0
    shaped = json.loads(ran.stdout)
    assert (shaped["name"], shaped["from_version"], shaped["to_version"]) == (
        CARD,
        1,
        2,
    )
    assert shaped["changes"][0] == {
        "path": "$.intended_uses.risk_rating",
        "kind": "changed",
        "old": "Medium",
        "new": "High",
    }
    assert [(c["kind"], c["path"]) for c in shaped["changes"]][1:] == [
        ("added", "$.business_details.line_of_business"),
        ("changed", MATRIX),
        ("removed", "$.additional_information.caveats_and_recommendations"),
    ]


def test_diff_with_a_draft_file(store: SeededStore, tmp_path: Path) -> None:
    draft = copy.deepcopy(store.versions[1])
    draft["intended_uses"]["risk_rating"] = "Low"
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    ran = cardinal(store, CARD, "2", "--draft", str(path))
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == [
        "model card churn-v1: version 2 -> draft, 1 change",
        "~ $.intended_uses.risk_rating: 'High' -> 'Low'",
    ]


def test_a_missing_card_exits_3_with_one_line(store: SeededStore) -> None:
    ran = cardinal(store, "missing", "1", "2")
    assert (ran.returncode, ran.stdout) == (3, "")
    assert ran.stderr.splitlines() == ["not found: Model card 'missing' does not exist."]


def test_an_invalid_draft_exits_4_with_one_line(store: SeededStore, tmp_path: Path) -> None:
    path = tmp_path / "draft.json"
    path.write_text('{"intended_uses": {"risk_rating": "Extreme"}}', encoding="utf-8")
    ran = cardinal(store, CARD, "1", "--draft", str(path))
    assert (ran.returncode, ran.stdout) == (4, "")
    [line] = ran.stderr.splitlines()
    assert line.startswith("refused: Invalid model card content at $.intended_uses.risk_rating")


def test_a_draft_and_a_second_version_together_are_a_usage_error(
    store: SeededStore, tmp_path: Path
) -> None:
    path = tmp_path / "draft.json"
    path.write_text("{}", encoding="utf-8")
    ran = cardinal(store, CARD, "1", "2", "--draft", str(path))
    assert (ran.returncode, ran.stdout) == (2, "")
    assert ran.stderr.splitlines() == ["error: give either VERSION_B or --draft, not both."]
