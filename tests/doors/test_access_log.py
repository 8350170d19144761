"""The server's log, read from a real server's output: one access-log line per request with the
actor its door authenticated, JSON lines on request, and no PDF-layout chatter."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import httpx
import pytest
from botocore.config import Config

from cardinal.domain.model_cards import ModelCardStatus
from cardinal.services.container import Services
from tests.support.contexts import OPERATOR
from tests.support.server import start_server


def access_lines(log: Path) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line["logger"] == "cardinal.access"]


@pytest.mark.parametrize("backend", ["sqlite"])  # the log does not depend on the store
def test_each_request_is_one_json_line_with_its_actor(
    database_url: str, services: Services, tmp_path: Path
) -> None:
    services.cards.create_model_card(OPERATOR, "logged", "{}", ModelCardStatus.DRAFT)
    server = start_server(
        database_url, tmp_path / "server", extra_env={"CARDINAL_LOG_FORMAT": "json"}
    )
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            client.get("/api/v1/cards/logged", headers={"X-Cardinal-Actor": "ann"})
            pdf = client.get(
                "/api/v1/cards/logged/export",
                params={"format": "pdf"},
                headers={"X-Cardinal-Actor": "ann"},
            )
            assert pdf.status_code == 200
            client.get("/healthz")
        sagemaker = boto3.client(
            "sagemaker",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="bo",
            aws_secret_access_key="anything",
            config=Config(retries={"max_attempts": 1}),
        )
        sagemaker.list_model_cards()
    finally:
        server.stop()
    lines = access_lines(server.log)
    while lines[0]["path"] == "/healthz":  # start_server waiting for the server to answer
        lines.pop(0)
    seen = [(line["method"], line["path"], line["status"], line["actor"]) for line in lines]
    assert seen == [
        ("GET", "/api/v1/cards/logged", 200, "ann"),
        ("GET", "/api/v1/cards/logged/export", 200, "ann"),
        ("GET", "/healthz", 200, None),
        ("POST", "/", 200, "bo"),
    ]
    assert all(isinstance(line["duration_ms"], float) for line in lines)
    assert all(line["level"] == "INFO" for line in lines)
    text = server.log.read_text()
    assert "weasyprint" not in text.lower()
    assert "Step " not in text
