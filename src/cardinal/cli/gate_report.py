"""What `cardinal gate` prints for people, from the gate's answer as the REST API sends it
(JSON): the same lines whether the answer came through the full command line or
:mod:`cardinal.cli.quick`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cardinal.cli.terminal import when


def gate_lines(gate: Mapping[str, Any], name: str) -> list[str]:
    """The verdict on ``name`` (``group/version``), what is missing, and every decision."""
    if gate["open"]:
        lines = [
            f"OPEN: {name} is Approved and documented by {gate['model_card_name']} "
            f"(version {gate['model_card_version']}, Approved)."
        ]
    else:
        lines = [f"CLOSED: {name}", *(f"  - {reason}" for reason in gate["missing"])]
    decisions = gate.get("decisions") or []
    if decisions:
        lines.append("Decisions:")
    for decision in decisions:
        card = (
            f"; card {decision['card_name']} v{decision['card_version']} sha256 "
            f"{decision['card_content_sha256']}"
            if decision.get("card_content_sha256")
            else ""
        )
        policy = f"; {decision['policy']}" if decision.get("policy") else ""
        comment = f': "{decision["comment"]}"' if decision.get("comment") else ""
        lines.append(
            f"  {when(datetime.fromisoformat(decision['decided_at']))} {decision['decision']} by "
            f"{decision['decided_by']}{comment} -> {decision['outcome']}{policy}{card}"
        )
    return lines
