"""The evidence pack: one zip file that shows what was true of a model version at a moment,
and that an auditor can check offline, with no server.

Its files:

======================  ==================================================================
``manifest.json``       what the pack is about: the version, the moment, the gate's answer
``model-package.json``  the version as it was then
``model-card.json``     the card version documenting it then (content and hashes)
``model-card-chain.json``  every version of that card up to it: its content hash and chain hash
``decisions.json``      the approval decisions on the version made by then
``audit-events.jsonl``  the audit events the answer rests on, each with the hash it was stored with
``model-card.html``     the card rendered as it was then
``SHA256SUMS``          the SHA-256 of each file above (``sha256sum -c SHA256SUMS`` checks them too)
======================  ==================================================================

Files are stored uncompressed, so the zip's own CRC-32 names a file whose bytes changed.
Verifying checks every file against ``SHA256SUMS``, each audit event against its hash, the
card's content against its hash and its chain from version 1, and that the events replay to
the approval status and card version the pack shows. What it can't prove alone: that these
events are the ones stored now; compare an event's hash with ``cardinal audit`` on the server.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cardinal.content.canonical import content_sha256, record_sha256, version_chain_sha256
from cardinal.domain.audit import AuditAction, AuditEvent
from cardinal.domain.audit_replay import replay

FORMAT = "cardinal-evidence-pack/1"
MANIFEST = "manifest.json"
PACKAGE = "model-package.json"
CARD = "model-card.json"
CARD_CHAIN = "model-card-chain.json"
DECISIONS = "decisions.json"
EVENTS = "audit-events.jsonl"
CARD_HTML = "model-card.html"
SUMS = "SHA256SUMS"
_FILES = (MANIFEST, PACKAGE, CARD, CARD_CHAIN, DECISIONS, EVENTS, CARD_HTML)


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def event_line(event: AuditEvent) -> dict[str, Any]:
    return {**event.record(), "sha256": event.hash}


def build_pack(
    *,
    manifest: Mapping[str, Any],
    package: Mapping[str, Any],
    card: Mapping[str, Any] | None,
    card_chain: Sequence[Mapping[str, Any]],
    decisions: Sequence[Mapping[str, Any]],
    events: Sequence[AuditEvent],
    card_html: bytes,
) -> bytes:
    """The pack's zip bytes. ``card`` holds the card version's ``content`` as a JSON object."""
    files = {
        MANIFEST: _json({"format": FORMAT, **manifest}),
        PACKAGE: _json(package),
        CARD: _json(card),
        CARD_CHAIN: _json(list(card_chain)),
        DECISIONS: _json(list(decisions)),
        EVENTS: b"".join(
            (json.dumps(event_line(e), sort_keys=True, ensure_ascii=False) + "\n").encode()
            for e in events
        ),
        CARD_HTML: card_html,
    }
    sums = "".join(f"{_sha256(data)}  {name}\n" for name, data in files.items())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in [*files.items(), (SUMS, sums.encode())]:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, data)
    return buffer.getvalue()


@dataclass
class PackReport:
    """What verifying a pack checked, and where it does not hold."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(data: bytes, report: PackReport) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        report.problems.append(f"the file is not a readable zip: {error}")
        return {}
    files: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            try:
                files[info.filename] = archive.read(info)
            except zipfile.BadZipFile:
                report.problems.append(
                    f"{info.filename}: its bytes do not match the zip's CRC-32: the file was "
                    "changed inside the pack"
                )
            except (OSError, ValueError, NotImplementedError) as error:
                report.problems.append(f"{info.filename}: can't be read: {error}")
    return files


def _sums(files: Mapping[str, bytes], report: PackReport) -> None:
    if SUMS not in files:
        report.problems.append(f"{SUMS} is missing: nothing says what the files should be")
        return
    listed: dict[str, str] = {}
    for number, line in enumerate(files[SUMS].decode("utf-8", "replace").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or any(c not in "0123456789abcdef" for c in digest):
            report.problems.append(f"{SUMS} line {number} is not '<sha256>  <file>': {line!r}")
            continue
        listed[name] = digest
    for name in _FILES:
        if name not in listed:
            report.problems.append(f"{SUMS} does not list {name}")
        elif name not in files:
            report.problems.append(f"{name} is missing from the pack")
        elif _sha256(files[name]) != listed[name]:
            report.problems.append(
                f"{name}: its SHA-256 is {_sha256(files[name])}, {SUMS} says {listed[name]}: "
                "the file was changed"
            )
    extra = sorted(set(files) - {*_FILES, SUMS})
    if extra:
        report.problems.append(f"files no pack holds: {', '.join(extra)}")
    report.checked.append(f"{SUMS}: each of the {len(_FILES)} files checked against its SHA-256")


def _loaded(files: Mapping[str, bytes], name: str, report: PackReport) -> Any:
    try:
        return json.loads(files[name])
    except KeyError:
        return None
    except (ValueError, UnicodeDecodeError) as error:
        report.problems.append(f"{name}: not JSON: {error}")
        return None


def _events(files: Mapping[str, bytes], report: PackReport) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    raw = files.get(EVENTS, b"").decode("utf-8", "replace").splitlines()
    for number, text in enumerate(raw, 1):
        where = f"{EVENTS} line {number}"
        try:
            line = json.loads(text)
            stored = line.pop("sha256")
            event = AuditEvent(
                seq=line["seq"],
                occurred_at=datetime.fromisoformat(line["occurred_at"]),
                actor=line["actor"],
                action=AuditAction(line["action"]),
                resource_arn=line["resource_arn"],
                request_id=line["request_id"],
                before=line["before"],
                after=line["after"],
                previous_hash=line["previous_sha256"],
                hash=stored,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            report.problems.append(f"{where}: not an audit event: {error}")
            continue
        if record_sha256(line) != stored:
            report.problems.append(
                f"{where} (audit event {event.seq}, {event.action.value}): its content does not "
                "match its hash"
            )
        events.append(event)
    by_seq = {e.seq: e for e in events}
    linked = 0
    for event in events:
        before = by_seq.get(event.seq - 1)
        if before is not None:
            linked += 1
            if event.previous_hash != before.hash:
                report.problems.append(
                    f"audit event {event.seq} does not name the hash of event {before.seq}"
                )
    links = "1 link" if linked == 1 else f"{linked} links"
    report.checked.append(
        f"{EVENTS}: {len(events)} audit events, each against its hash ({links} between "
        "neighbouring events)"
    )
    return events


def _card(files: Mapping[str, bytes], report: PackReport) -> dict[str, Any] | None:
    card = _loaded(files, CARD, report)
    chain = _loaded(files, CARD_CHAIN, report)
    if not isinstance(card, dict):
        if card is not None:
            report.problems.append(f"{CARD}: not a model card version")
        report.checked.append(f"{CARD}: no card documented the version then")
        return None
    try:
        content = json.dumps(card["content"])
        if content_sha256(content) != card["content_sha256"]:
            report.problems.append(f"{CARD}: its content does not match its content_sha256")
        previous: str | None = None
        for entry in chain if isinstance(chain, list) else []:
            expected = version_chain_sha256(
                card["arn"], entry["version"], entry["content_sha256"], previous
            )
            if entry["previous_sha256"] != previous or entry["chain_sha256"] != expected:
                report.problems.append(
                    f"{CARD_CHAIN}: version {entry['version']}: its chain hash does not follow "
                    "from the versions before it"
                )
            previous = entry["chain_sha256"]
        last = chain[-1] if isinstance(chain, list) and chain else None
        if last is None or (last["version"], last["content_sha256"], last["chain_sha256"]) != (
            card["version"],
            card["content_sha256"],
            card["chain_sha256"],
        ):
            report.problems.append(f"{CARD_CHAIN}: its last version is not the one in {CARD}")
    except (KeyError, TypeError, ValueError) as error:
        report.problems.append(f"{CARD} or {CARD_CHAIN}: not what a pack holds: {error}")
        return None
    report.checked.append(
        f"{CARD}: content against its hash; {CARD_CHAIN}: chain from version 1 to {card['version']}"
    )
    return card


def _replayed(
    events: list[AuditEvent],
    package: Any,
    card: dict[str, Any] | None,
    report: PackReport,
) -> None:
    """The events replay to what the pack shows of the version and its card."""
    if not isinstance(package, dict):
        report.problems.append(f"{PACKAGE}: not a model package")
        return
    arn = package.get("arn")
    fixed = replay(str(arn), [e for e in events if e.resource_arn == arn]).values()
    for name in ("approval_status", "approval_description"):
        if name in fixed and fixed[name] != package.get(name):
            report.problems.append(
                f"{PACKAGE}: its {name} is {package.get(name)!r}, its audit events say "
                f"{fixed[name]!r}"
            )
    if card is not None:
        mine = replay(card["arn"], [e for e in events if e.resource_arn == card["arn"]]).values()
        for name, key in (
            ("latest_version", "version"),
            ("status", "status"),
            ("latest_version.content_sha256", "content_sha256"),
            ("latest_version.chain_sha256", "chain_sha256"),
        ):
            if name in mine and mine[name] != card.get(key):
                report.problems.append(
                    f"{CARD}: its {key} is {card.get(key)!r}, its audit events say {mine[name]!r}"
                )
    report.checked.append(
        f"{PACKAGE} and {CARD}: the approval status and the card version the audit events replay to"
    )


def verify_pack(data: bytes) -> PackReport:
    """Check a pack offline and say where it does not hold."""
    report = PackReport()
    files = _read(data, report)
    if not files:
        return report
    _sums(files, report)
    manifest = _loaded(files, MANIFEST, report)
    if isinstance(manifest, dict):
        report.manifest = manifest
        if manifest.get("format") != FORMAT:
            report.problems.append(f"{MANIFEST}: format {manifest.get('format')!r}, not {FORMAT}")
    events = _events(files, report)
    card = _card(files, report)
    _replayed(events, _loaded(files, PACKAGE, report), card, report)
    return report
