"""The sign-off of a card document: every decision on the card and on the model version it
documents, in one list, oldest first.

Each decision is a titled part of labelled fields: who, when, what it moved or decided, and the
comment or reason if one was given. A decision on the model version also names the policy that
allowed it and the card version it saw, with that version's full SHA-256, and says whether that
is the version in this document.
"""

from __future__ import annotations

from datetime import datetime

from cardinal.documents.blocks import Entry, Fields, Part
from cardinal.documents.model import CardDecision, CardDocument, PackageDecision
from cardinal.documents.text import time_text, utc

TITLE = "Sign-off"
INTRO = "Every recorded decision on this card and on the model version it documents, oldest first."
NO_DECISIONS = "No decisions recorded."
THIS_VERSION = "the version in this document"
GLOBAL_POLICY = "*"


def sign_off(document: CardDocument) -> tuple[Part, ...]:
    dated: list[tuple[datetime, Part]] = [
        (decision.decided_at, _card_decision(document, decision))
        for decision in document.card_decisions
    ]
    dated += [
        (decision.decided_at, _package_decision(document, decision))
        for decision in document.package_decisions
    ]
    dated.sort(key=lambda pair: utc(pair[0]))
    return tuple(part for _, part in dated)


def _card_decision(document: CardDocument, decision: CardDecision) -> Part:
    if decision.from_status is None:
        title = f"Card created as {decision.to_status}"
    else:
        moved = "restored" if decision.reason is not None else "status"
        title = f"Card {moved}: {decision.from_status} → {decision.to_status}"
    entries = [
        Entry("When", time_text(decision.decided_at)),
        Entry("By", decision.decided_by),
        Entry("Card version", _card_version(document, decision.card_version)),
    ]
    if decision.reason is not None:
        entries.append(Entry("Reason for the restore", decision.reason))
    return Part(title, (Fields(tuple(entries)),))


def _package_decision(document: CardDocument, decision: PackageDecision) -> Part:
    package = document.package
    subject = (
        f"Model version {package.group_name}/{package.version}" if package else "Model version"
    )
    entries = [
        Entry("When", time_text(decision.decided_at)),
        Entry("By", decision.decided_by),
        Entry("Decision", decision.decision),
        Entry("Outcome", decision.outcome),
    ]
    if decision.comment:
        entries.append(Entry("Comment", decision.comment))
    entries.append(Entry("Policy", _policy(decision)))
    if decision.card_name is None or decision.card_version is None:
        entries.append(Entry("Card reviewed", "None: no card documented the version then"))
    else:
        reviewed = f"{decision.card_name} version {decision.card_version}"
        if decision.card_content_sha256 == document.content_sha256:
            reviewed += f", {THIS_VERSION}"
        elif decision.card_name == document.name:
            reviewed += f", {_not_this_version(document)}"
        entries.append(Entry("Card reviewed", reviewed))
    if decision.card_content_sha256:
        entries.append(Entry("SHA-256 of the card reviewed", decision.card_content_sha256, True))
    return Part(f"{subject}: {decision.decision}", (Fields(tuple(entries)),))


def _card_version(document: CardDocument, version: int) -> str:
    remark = THIS_VERSION if version == document.version else _not_this_version(document)
    return f"{version}, {remark}"


def _not_this_version(document: CardDocument) -> str:
    return f"not the version in this document (version {document.version})"


def _policy(decision: PackageDecision) -> str:
    if decision.policy_version is None:
        return "None (no approval policy was set)"
    group = "global" if decision.policy_group in (None, GLOBAL_POLICY) else decision.policy_group
    return f"{group} policy v{decision.policy_version}"
