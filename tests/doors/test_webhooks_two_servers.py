"""Two servers on one PostgreSQL database, each with its webhook worker: every event is
delivered, and each one once."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

from tests.doors.test_webhooks import Receiver, _churn_story, _wait_for, receiver
from tests.support.databases import PostgresDatabases
from tests.support.server import RunningServer, start_server

pytestmark = pytest.mark.postgres

__all__ = ["receiver"]

ENV = {"CARDINAL_WEBHOOK_DESTINATIONS": "127.0.0.1", "CARDINAL_WEBHOOK_POLL_SECONDS": "0.05"}


@pytest.fixture
def two_servers(postgres: PostgresDatabases, tmp_path: Path) -> Iterator[list[RunningServer]]:
    # Servers sharing a database share the secret key subscriptions' secrets are sealed with.
    shared = {**ENV, "CARDINAL_SECRET_KEY": Fernet.generate_key().decode()}
    with postgres.fresh() as url:
        servers = [start_server(url, tmp_path / f"server-{n}", extra_env=shared) for n in (1, 2)]
        yield servers
        for server in servers:
            server.stop()


def test_two_servers_deliver_each_event_once(
    two_servers: list[RunningServer], receiver: Receiver
) -> None:
    first, second = (httpx.Client(base_url=f"{s.url}/api/v1", timeout=30) for s in two_servers)
    with first, second:
        made = first.post("/webhooks", json={"url": receiver.url, "events": ["model-*"]})
        assert made.status_code == 201, made.text
        for round_ in range(3):
            api = first if round_ % 2 == 0 else second
            group = f"churn{round_}"
            api.post("/groups", json={"name": group}).raise_for_status()
            for _ in range(5):
                api.post(f"/groups/{group}/versions", json={}).raise_for_status()
        _churn_story(second)
        wanted = [
            e["seq"]
            for e in first.get("/audit", params={"limit": 100}).json()["items"]
            if e["action"].startswith("model-")
        ]
        _wait_for(len(wanted), receiver)
        time.sleep(2)  # time for a second delivery of anything, were one made
        ids = Counter(headers["webhook-id"] for headers, _ in receiver.received)
        assert len(ids) == len(wanted)
        assert set(ids.values()) == {1}
        log = first.get(f"/webhooks/{made.json()['id']}/deliveries").json()["items"]
        assert {(d["status"], d["attempts"]) for d in log} == {("Delivered", 1)}


def test_a_server_killed_mid_delivery_loses_nothing(
    postgres: PostgresDatabases, tmp_path: Path, receiver: Receiver
) -> None:
    shared = {**ENV, "CARDINAL_SECRET_KEY": Fernet.generate_key().decode()}
    receiver.stall_first = 30.0
    with postgres.fresh() as url:
        doomed = start_server(url, tmp_path / "doomed", extra_env=shared)
        with httpx.Client(base_url=f"{doomed.url}/api/v1", timeout=30) as api:
            made = api.post("/webhooks", json={"url": receiver.url, "events": ["model-*"]})
            assert made.status_code == 201, made.text
            _churn_story(api)
            wanted = [
                e["seq"]
                for e in api.get("/audit", params={"limit": 100}).json()["items"]
                if e["action"].startswith("model-")
            ]
        assert receiver.first_arrived.wait(30)
        doomed.process.kill()  # SIGKILL while the first delivery is in flight
        doomed.process.wait(10)
        survivor = start_server(url, tmp_path / "survivor", extra_env=shared)
        try:
            # The dead server's claim runs out (60 s), and the survivor sends it again.
            _wait_for(len(wanted) + 1, receiver, 150)
        finally:
            survivor.stop()
    ids = [int(headers["webhook-id"].rsplit("_", 1)[1]) for headers, _ in receiver.received]
    assert sorted(set(ids)) == wanted
    assert ids.count(ids[0]) == 2  # the one in flight, again, with the same webhook-id
