"""Every action the audit trail can record is explained in docs/evidence.md, where auditors and
webhook subscribers look them up."""

from __future__ import annotations

from pathlib import Path

from cardinal.domain.audit import AuditAction

EVIDENCE = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"


def test_every_audit_action_is_in_the_documented_table() -> None:
    table = [line for line in EVIDENCE.read_text().splitlines() if line.startswith("| `")]
    documented = "\n".join(table)
    missing = [a.value for a in AuditAction if f"`{a.value}`" not in documented]
    assert missing == [], f"add these actions to the table in docs/evidence.md: {missing}"
