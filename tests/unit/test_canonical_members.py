"""A JSON object hashed in two steps (its members' values first, then joined) hashes as the
whole object does: the audit trail hashes a record that way and verifies it whole."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cardinal.content.canonical import (
    canonical_members,
    joined_sha256,
    record_sha256,
    sha256_hex,
)
from cardinal.domain.audit import AuditAction, audit_record

DOCUMENTS: list[dict[str, Any]] = [
    {},
    {"b": 1, "a": [1, 2.5, None, True], "c": {"z": "é", "y": {"x": []}}},
    # Keys whose order by UTF-16 code units differs from their order by code points.
    {"\U0001f600": 1, "\uff61": 2, "a": 3, "\u00e9": 4, "": 5},
    {"n": 1e21, "m": -0.0, "s": 'line\nbreak \u2028 "quoted" \\ \x01'},
    audit_record(
        7,
        datetime(2026, 12, 6, tzinfo=UTC),
        "alice",
        AuditAction.PACKAGE_REGISTER,
        "arn:aws:sagemaker:us-east-1:000000000000:model-package/churn/3",
        "req-1",
        None,
        {"details": {"InferenceSpecification": {"Containers": [{"Image": "x:1"}]}}, "tags": {}},
        "ab" * 32,
    ),
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_members_joined_hash_as_the_whole_object(document: dict[str, Any]) -> None:
    assert joined_sha256(canonical_members(document)) == record_sha256(document)


def test_members_known_later_replace_earlier_ones() -> None:
    record = DOCUMENTS[-1]
    members = canonical_members({**record, "seq": 0, "previous_sha256": None})
    members.update(canonical_members({"seq": 7, "previous_sha256": "ab" * 32}))
    assert joined_sha256(members) == record_sha256(record)
    assert joined_sha256(members) != sha256_hex(b"{}")
