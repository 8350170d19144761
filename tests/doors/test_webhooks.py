"""Webhooks against a real server and a real receiver on 127.0.0.1, on both backends: every
event of the churn story arrives, signed (checked with the standardwebhooks library), in order
per resource; a receiver that is down for a while gets every event once it is up (a repeat
carries the same webhook-id); destinations no admin allowed are refused; a rotated secret keeps
signing beside the new one for as long as asked."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from tests.support.server import RunningServer, start_server


@dataclass
class Receiver:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    failures_left: int = 0
    stall_first: float = 0.0
    """Seconds the first delivery is held before it is answered (it is recorded at once)."""
    first_arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies(self, secret: str) -> list[dict[str, Any]]:
        """Every delivery received, each checked against its signature."""
        hook = Webhook(secret)
        with self.lock:
            return [hook.verify(body, headers) for headers, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            me = state["receiver"]
            if not me.first_arrived.is_set() and me.stall_first:
                with me.lock:
                    me.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                me.first_arrived.set()
                time.sleep(me.stall_first)
                self.send_response(204)
                self.end_headers()
                return
            me.first_arrived.set()
            with me.lock:
                if me.failures_left > 0:
                    me.failures_left -= 1
                    answer = 503
                else:
                    me.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    answer = 204
            self.send_response(answer)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(f"http://127.0.0.1:{http.server_address[1]}/hooks")
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield state["receiver"]
    http.shutdown()
    http.server_close()


@pytest.fixture
def hooked(database_url: str, tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(
        database_url,
        tmp_path / "server",
        extra_env={
            "CARDINAL_WEBHOOK_DESTINATIONS": "127.0.0.1",
            "CARDINAL_WEBHOOK_POLL_SECONDS": "0.2",
        },
    )
    yield running
    running.stop()


def _churn_story(api: httpx.Client) -> None:
    def ok(response: httpx.Response) -> None:
        assert response.is_success, response.text

    ok(api.post("/groups", json={"name": "churn"}))
    arn = api.post("/groups/churn/versions", json={}).json()["arn"]
    content = {"model_package_details": {"model_package_arn": arn}}
    ok(api.post("/cards", json={"name": "churn-1", "content": content}))
    ok(api.put("/cards/churn-1/status", json={"status": "Approved"}))
    ok(api.post("/groups/churn/versions/1/approve", json={"description": "ok"}))
    content["intended_uses"] = {"purpose_of_model": "churn"}
    ok(api.put("/cards/churn-1/content", json={"content": content}))


def _assert_in_order_per_resource(bodies: list[dict[str, Any]]) -> None:
    """Each resource's events arrived in the order they happened (resources are not ordered
    with each other)."""
    by_resource: dict[str, list[int]] = {}
    for body in bodies:
        by_resource.setdefault(body["resources"][0], []).append(body["detail"]["AuditSeq"])
    assert all(seqs == sorted(seqs) for seqs in by_resource.values()), by_resource
    assert len(by_resource) > 1


def _wait_for(count: int, receiver: Receiver, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with receiver.lock:
            if len(receiver.received) >= count:
                return
        time.sleep(0.1)
    raise AssertionError(f"{len(receiver.received)} of {count} deliveries arrived")


def test_every_event_of_the_story_arrives_signed_and_in_order(
    hooked: RunningServer, receiver: Receiver
) -> None:
    with httpx.Client(base_url=f"{hooked.url}/api/v1", timeout=30) as api:
        made = api.post("/webhooks", json={"url": receiver.url, "events": ["*"]})
        assert made.status_code == 201, made.text
        secret = made.json()["secret"]
        assert secret.startswith("whsec_")
        assert "secret" not in api.get("/webhooks").json()["items"][0]
        _churn_story(api)
        audit = api.get("/audit", params={"limit": 100}).json()["items"]
        story = [e for e in audit if not e["action"].startswith("webhook:")]
        _wait_for(len(story), receiver)
        time.sleep(0.5)  # nothing more arrives
        bodies = receiver.bodies(secret)
        assert sorted(b["detail"]["AuditSeq"] for b in bodies) == [e["seq"] for e in story]
        _assert_in_order_per_resource(bodies)
        assert len({h["webhook-id"] for h, _ in receiver.received}) == len(story)
        approval = next(b for b in bodies if b["detail"]["Action"] == "model-package:approval")
        assert approval["detail-type"] == "SageMaker Model Package State Change"
        assert approval["source"] == "aws.sagemaker"
        assert approval["detail"]["ModelApprovalStatus"] == "Approved"
        assert approval["detail"]["ModelPackageGroupName"] == "churn"
        card = next(b for b in bodies if b["detail"]["Action"] == "model-card:status")
        assert card["detail-type"] == "SageMaker Model Card State Change"
        assert card["detail"]["ModelCardStatus"] == "Approved"
        webhook = made.json()["id"]
        log = api.get(f"/webhooks/{webhook}/deliveries").json()["items"]
        assert {(d["status"], d["last_status_code"]) for d in log} == {("Delivered", 204)}


def test_a_receiver_down_for_a_while_gets_every_event_once_up(
    hooked: RunningServer, receiver: Receiver
) -> None:
    with httpx.Client(base_url=f"{hooked.url}/api/v1", timeout=30) as api:
        made = api.post("/webhooks", json={"url": receiver.url, "events": ["model-*"]})
        secret, webhook = made.json()["secret"], made.json()["id"]
        receiver.failures_left = 3
        _churn_story(api)
        wanted = [
            e["seq"]
            for e in api.get("/audit", params={"limit": 100}).json()["items"]
            if e["action"].startswith("model-")
        ]
        _wait_for(len(wanted), receiver)
        bodies = receiver.bodies(secret)
        assert sorted(b["detail"]["AuditSeq"] for b in bodies) == wanted
        _assert_in_order_per_resource(bodies)
        log = api.get(f"/webhooks/{webhook}/deliveries").json()["items"]
        assert sum(d["attempts"] for d in log) >= len(wanted) + 1
        assert {d["status"] for d in log} == {"Delivered"}

        first = log[-1]
        again = api.post(f"/webhooks/{webhook}/deliveries/{first['id']}/redeliver")
        assert again.status_code == 200, again.text
        _wait_for(len(wanted) + 1, receiver)
        repeat = receiver.received[-1][0]["webhook-id"]
        assert repeat == first["webhook_id"]
        assert [h["webhook-id"] for h, _ in receiver.received].count(repeat) == 2


def test_a_rotated_secret_signs_beside_the_new_one_while_kept(
    hooked: RunningServer, receiver: Receiver
) -> None:
    def verifies(secret: str, delivery: tuple[dict[str, str], bytes]) -> bool:
        headers, body = delivery
        try:
            Webhook(secret).verify(body, headers)
        except WebhookVerificationError:
            return False
        return True

    with httpx.Client(base_url=f"{hooked.url}/api/v1", timeout=30) as api:
        made = api.post(
            "/webhooks", json={"url": receiver.url, "events": ["model-package-group:*"]}
        ).json()
        first, webhook = made["secret"], made["id"]
        api.post("/groups", json={"name": "before-rotation"})
        _wait_for(1, receiver)
        assert len(receiver.received[0][0]["webhook-signature"].split()) == 1

        rotated = api.post(f"/webhooks/{webhook}/rotate", json={"keep_previous_hours": 24})
        assert rotated.status_code == 200, rotated.text
        second = rotated.json()["secret"]
        assert second.startswith("whsec_")
        assert second != first
        kept_until = rotated.json()["previous_secret_expires_at"]
        assert kept_until is not None
        listed = api.get(f"/webhooks/{webhook}").json()
        assert listed["previous_secret_expires_at"] == kept_until
        assert "secret" not in listed
        api.post("/groups", json={"name": "while-both-sign"})
        _wait_for(2, receiver)
        both = receiver.received[1]
        assert len(both[0]["webhook-signature"].split()) == 2
        assert verifies(first, both)
        assert verifies(second, both)

        at_once = api.post(f"/webhooks/{webhook}/rotate", json={"keep_previous_hours": 0})
        third = at_once.json()["secret"]
        assert at_once.json()["previous_secret_expires_at"] is None
        api.post("/groups", json={"name": "after-a-leak"})
        _wait_for(3, receiver)
        last = receiver.received[2]
        assert verifies(third, last)
        assert not verifies(second, last)
        assert not verifies(first, last)

        refused = api.post(f"/webhooks/{webhook}/rotate", json={"keep_previous_hours": 500})
        assert refused.status_code == 422
        assert api.get(f"/webhooks/{webhook}").json()["previous_secret_expires_at"] is None
        unknown = api.post("/webhooks/wh_0000000000000000/rotate")
        assert unknown.status_code == 404
        audit = api.get("/audit", params={"limit": 100}).json()["items"]
        rotations = [e for e in audit if e["action"] == "webhook:rotate"]
        assert len(rotations) == 2
        assert all(s not in json.dumps(audit) for s in (first, second, third))


def test_destinations_no_admin_allowed_are_refused(hooked: RunningServer) -> None:
    with httpx.Client(base_url=f"{hooked.url}/api/v1", timeout=30) as api:
        # A well-formed URL to a destination no admin allowed is refused by the server's
        # setting (403, naming it); a URL of the wrong form is invalid input (422).
        for url, status, says in (
            ("http://169.254.169.254/latest/meta-data/", 403, "link-local"),
            ("http://10.0.0.8/hooks", 403, "not among the allowed webhook destinations"),
            ("http://hooks.example.com/x", 403, "not among the allowed webhook destinations"),
            ("ftp://127.0.0.1/x", 422, "is not an http or https URL"),
            ("http://user:pw@127.0.0.1/x", 422, "no user name or password"),
            ("http://[::1/x", 422, "is not an http or https URL"),
            ("http://127.0.0.1/a b", 422, "printable ASCII"),
        ):
            refused = api.post("/webhooks", json={"url": url})
            assert refused.status_code == status, (url, refused.text)
            assert says in refused.json()["detail"], (url, refused.json())
            if status == 403:
                assert refused.json()["rule"] == "webhook_destinations"
        assert api.get("/webhooks").json()["items"] == []


def test_the_cli_manages_subscriptions(hooked: RunningServer, receiver: Receiver) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cardinal", "webhooks", *args, "--endpoint", hooked.url],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    made = cli("create", receiver.url, "--event", "model-package:*", "-o", "json")
    assert made.returncode == 0, made.stderr
    created = json.loads(made.stdout)
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["model-package:*"]
    listed = cli("list")
    assert created["id"] in listed.stdout
    assert created["secret"] not in listed.stdout
    assert cli("deliveries", created["id"]).returncode == 0
    rotated = cli("rotate", created["id"], "--keep-previous-hours", "2", "-o", "json")
    assert rotated.returncode == 0, rotated.stderr
    assert json.loads(rotated.stdout)["secret"] not in (created["secret"], "")
    assert json.loads(rotated.stdout)["previous_secret_expires_at"] is not None
    too_long = cli("rotate", created["id"], "--keep-previous-hours", "999")
    assert too_long.returncode == 2
    assert "168" in too_long.stderr
    refused = cli("create", "http://169.254.169.254/")
    assert refused.returncode == 4
    assert "link-local" in refused.stderr
    assert cli("delete", created["id"]).returncode == 0
    assert cli("delete", created["id"]).returncode == 3
