"""What was true at T1, T2 and T3, asked over REST and the CLI (against a real server and over
a local store), on both backends: approve v1 at T1; approve v2 and reject v1 at T2; edit v2's
card at T3."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.support.server import RunningServer


def _moment() -> str:
    now = datetime.now(UTC)
    time.sleep(0.005)
    return now.isoformat().replace("+00:00", "Z")


def _card(arn: str, purpose: str) -> dict[str, object]:
    return {
        "model_package_details": {"model_package_arn": arn},
        "intended_uses": {"purpose_of_model": purpose},
    }


@dataclass(frozen=True)
class Story:
    api: httpx.Client
    before: str
    t1: str
    t2: str
    t3: str


@pytest.fixture
def story(server: RunningServer) -> Iterator[Story]:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as api:

        def ok(response: httpx.Response) -> httpx.Response:
            assert response.is_success, response.text
            return response

        ok(api.post("/groups", json={"name": "other"}))
        before = _moment()
        ok(api.post("/groups", json={"name": "churn"}))
        v1 = ok(api.post("/groups/churn/versions", json={})).json()["arn"]
        v2 = ok(api.post("/groups/churn/versions", json={})).json()["arn"]
        ok(api.post("/cards", json={"name": "churn-1", "content": _card(v1, "v1")}))
        ok(api.post("/cards", json={"name": "churn-2", "content": _card(v2, "v2")}))
        ok(api.put("/cards/churn-1/status", json={"status": "Approved"}))
        ok(api.post("/groups/churn/versions/1/approve", json={"description": "good"}))
        t1 = _moment()
        ok(api.put("/cards/churn-2/status", json={"status": "Approved"}))
        ok(api.post("/groups/churn/versions/2/approve", json={"description": "better"}))
        ok(api.post("/groups/churn/versions/1/reject", json={"description": "replaced"}))
        t2 = _moment()
        ok(api.put("/cards/churn-2/content", json={"content": _card(v2, "v2, retrained")}))
        t3 = _moment()
        yield Story(api, before, t1, t2, t3)


def _versions(story: Story, at: str) -> list[tuple[int, str, str | None]]:
    body = story.api.get("/groups/churn/versions", params={"as_of": at}).json()
    assert body["chain"]["verified"] is True, body["chain"]
    assert body["chain"]["events"] > 0
    assert body["as_of"].startswith(at[:19])
    return [(p["version"], p["approval_status"], p["approval_description"]) for p in body["items"]]


def test_rest_answers_what_was_true_at_each_moment(story: Story) -> None:
    api = story.api
    assert _versions(story, story.t1) == [
        (1, "Approved", "good"),
        (2, "PendingManualApproval", None),
    ]
    assert _versions(story, story.t2) == [(1, "Rejected", "replaced"), (2, "Approved", "better")]
    assert _versions(story, story.t3) == _versions(story, story.t2)

    stored = {v["version"]: v for v in api.get("/cards/churn-2/versions").json()["items"]}
    now = api.get("/cards/churn-2").json()
    assert (now["version"], now["as_of"], now["chain"]) == (2, None, None)
    for at, version, status in (
        (story.t1, 1, "Draft"),
        (story.t2, 1, "Approved"),
        (story.t3, 2, now["status"]),
    ):
        card = api.get("/cards/churn-2", params={"as_of": at})
        assert card.status_code == 200, card.text
        read = card.json()
        assert (read["version"], read["status"]) == (version, status)
        assert read["content_sha256"] == stored[version]["content_sha256"]
        assert read["chain_sha256"] == stored[version]["chain_sha256"]
        assert read["chain"]["verified"] is True
        assert card.headers["ETag"] == f'"v{version}"'

    gate_t1 = api.get("/groups/churn/versions/1/gate", params={"as_of": story.t1}).json()
    assert gate_t1["open"] is True
    assert [(d["decision"], d["decided_by"] is not None) for d in gate_t1["decisions"]] == [
        ("Approved", True)
    ]
    gate_t2 = api.get("/groups/churn/versions/1/gate", params={"as_of": story.t2}).json()
    assert gate_t2["open"] is False
    assert [d["decision"] for d in gate_t2["decisions"]] == ["Approved", "Rejected"]
    v2_t2 = api.get("/groups/churn/versions/2/gate", params={"as_of": story.t2}).json()
    assert (v2_t2["open"], v2_t2["model_card_version"]) == (True, 1)
    v2_t3 = api.get("/groups/churn/versions/2/gate", params={"as_of": story.t3}).json()
    assert (v2_t3["open"], v2_t3["model_card_version"]) == (False, 2)
    gate_now = api.get("/groups/churn/versions/2/gate").json()
    assert gate_now["as_of"] is None
    assert gate_now["missing"] == v2_t3["missing"]


def test_rest_refuses_a_moment_before_the_group_or_without_an_offset(story: Story) -> None:
    gone = story.api.get("/groups/churn/versions", params={"as_of": story.before})
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    assert "Model package group 'churn' did not exist at" in gone.json()["detail"]
    card = story.api.get("/cards/churn-2", params={"as_of": story.before})
    assert card.status_code == 404
    naive = story.api.get("/groups/churn/versions", params={"as_of": "2026-03-01T12:00:00"})
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["path"] == "$.as_of"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardinal", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_cli_answers_what_was_true_at_each_moment(
    story: Story, server: RunningServer, database_url: str
) -> None:
    remote = ("--endpoint", server.url)
    local = ("--database-url", database_url)

    listed = _cli("package", "list", "churn", "--as-of", story.t1, *remote, "-o", "json")
    assert listed.returncode == 0, listed.stderr
    body = json.loads(listed.stdout)
    assert [(p["version"], p["approval_status"]) for p in body["items"]] == [
        (1, "Approved"),
        (2, "PendingManualApproval"),
    ]
    assert body["chain"]["verified"] is True

    table = _cli("package", "list", "churn", "--as-of", story.t2, *local)
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert any(row.split()[:2] == ["1", "Rejected"] for row in rows)
    assert any(row.split()[:2] == ["2", "Approved"] for row in rows)
    assert rows[-1].startswith(f"As of {story.t2[:19]}")
    assert rows[-1].endswith("each one verified.")

    assert _cli("gate", "churn/1", "--as-of", story.t1, *remote).returncode == 0
    closed = _cli("gate", "churn/1", "--as-of", story.t2, *local)
    assert closed.returncode == 1
    assert "model package churn/1 is Rejected, not Approved" in closed.stdout

    card = _cli("card", "show", "churn-2", "--as-of", story.t3, *local, "-o", "json")
    assert card.returncode == 0, card.stderr
    shown = json.loads(card.stdout)
    assert (shown["version"], shown["chain"]["verified"]) == (2, True)
    assert shown["content"]["intended_uses"]["purpose_of_model"] == "v2, retrained"

    missing = _cli("package", "list", "churn", "--as-of", story.before, *remote)
    assert missing.returncode == 3
    assert "did not exist at" in missing.stderr
    typo = _cli("gate", "churn/1", "--as-of", "yesterday", *remote)
    assert typo.returncode == 2
    assert "--as-of 'yesterday' is not an ISO-8601 time" in typo.stderr


def _rezipped(pack: Path, to: Path, name: str, edit: Callable[[bytes], bytes], resum: bool) -> Path:
    """The pack with one file edited into a valid zip (and, with ``resum``, SHA256SUMS
    rewritten to match): what someone who knows the format could forge."""
    with zipfile.ZipFile(pack) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    files[name] = edit(files[name])
    if resum:
        files["SHA256SUMS"] = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {file}\n"
            for file, data in files.items()
            if file != "SHA256SUMS"
        ).encode()
    with zipfile.ZipFile(to, "w") as archive:
        for file, data in files.items():
            archive.writestr(file, data)
    return to


def test_the_evidence_pack_of_v1_at_t1_verifies_offline_and_says_where_it_was_edited(
    story: Story, server: RunningServer, tmp_path: Path
) -> None:
    pack = tmp_path / "pack.zip"
    made = _cli("evidence", "pack", "churn/1", "--as-of", story.t1, "--endpoint", server.url,
                "-o", str(pack))  # fmt: skip
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(pack) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        card = json.loads(archive.read("model-card.json"))
        decisions = json.loads(archive.read("decisions.json"))
        package = json.loads(archive.read("model-package.json"))
        events = archive.read("audit-events.jsonl").decode().splitlines()
        html = archive.read("model-card.html").decode()
    assert manifest["gate"] == {"open": True, "missing": []}
    assert manifest["model_package_arn"].endswith("model-package/churn/1")
    assert (card["name"], card["version"], card["status"]) == ("churn-1", 1, "Approved")
    assert (package["approval_status"], package["approval_description"]) == ("Approved", "good")
    assert [d["decision"] for d in decisions] == ["Approved"]
    assert [json.loads(e)["action"] for e in events] == [
        "model-package:register", "model-package:approval", "model-card:create",
        "model-card:status",
    ]  # fmt: skip
    assert card["content_sha256"] in html
    assert "replaced" not in html  # the rejection at T2 is not part of T1

    # Offline: no server is reachable at the endpoint the environment names.
    offline = {"CARDINAL_ENDPOINT": "http://127.0.0.1:9", "PATH": os.environ["PATH"]}
    checked = _cli_env(offline, "evidence", "verify", str(pack))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[-1] == "OK: the pack holds."

    raw = pack.read_bytes()
    at = raw.index(b'"purpose_of_model": "v1"')
    edited = tmp_path / "edited.zip"
    edited.write_bytes(raw[:at] + raw[at:].replace(b'"v1"', b'"v7"', 1))
    found = _cli_env(offline, "evidence", "verify", str(edited))
    assert found.returncode == 1
    assert "model-card.json: its bytes do not match the zip's CRC-32" in found.stdout

    def purpose(data: bytes) -> bytes:
        return data.replace(b'"v1"', b'"v7"', 1)

    for resum, where in (
        (False, "model-card.json: its SHA-256 is "),
        (True, "model-card.json: its content does not match its content_sha256"),
    ):
        forged = _rezipped(
            pack, tmp_path / f"forged-{resum}.zip", "model-card.json", purpose, resum
        )
        found = _cli_env(offline, "evidence", "verify", str(forged))
        assert found.returncode == 1
        assert where in found.stdout

    def actor(data: bytes) -> bytes:
        return data.replace(b'"actor": "', b'"actor": "x', 1)

    forged = _rezipped(pack, tmp_path / "actor.zip", "audit-events.jsonl", actor, True)
    found = _cli_env(offline, "evidence", "verify", str(forged), "-o", "json")
    assert found.returncode == 1
    problems = json.loads(found.stdout)["problems"]
    assert problems == [
        "audit-events.jsonl line 1 (audit event "
        f"{json.loads(events[0])['seq']}, model-package:register): its content does not match "
        "its hash"
    ]


def _cli_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardinal", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
