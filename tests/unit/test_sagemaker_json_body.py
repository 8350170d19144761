"""The SageMaker door's response bodies: JSON that reads back as exactly what was written."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from cardinal.api.sagemaker.protocol import dump

WHEN = datetime(2026, 12, 5, 20, 30, 1, 250000, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [
        {"CreationTime": WHEN, "Nested": [{"LastModifiedTime": WHEN}]},
        {"ModelPackageDescription": "Modèle de churn — 模型 ✓", "Version": 7, "Ratio": 0.1},
        {"Huge": 2**70, "Negative": -(2**65), "Small": [2**63 - 1, -(2**63)]},
        {"Lone surrogate": "a\ud800b"},
        {"Control": "tab\there\x00\x1f", "Empty": {}, "None": None, "Flag": False},
    ],
    ids=["times", "non-ascii", "big-integers", "lone-surrogate", "controls"],
)
def test_a_body_reads_back_as_written(body: dict[str, Any]) -> None:
    expected = json.loads(json.dumps(body, default=lambda value: value.timestamp()))
    assert json.loads(dump(body)) == expected


def test_times_are_epoch_seconds() -> None:
    assert json.loads(dump({"CreationTime": WHEN}))["CreationTime"] == WHEN.timestamp()


def test_a_value_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError):
        dump({"What": object()})
