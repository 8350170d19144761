"""Card exports over the REST API: render now in every format, export jobs, artifact download."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml
from pypdf import PdfReader

from tests.support.server import RunningServer

CARD = {
    "model_overview": {"model_description": "Churn model <script>alert(1)</script>"},
    "intended_uses": {"risk_rating": "Low"},
}


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"X-Cardinal-Actor": "alice"}, timeout=60
    ) as client:
        created = client.post("/cards", json={"name": "churn", "content": CARD})
        assert created.status_code == 201, created.text
        yield client


def _wait(api: httpx.Client, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = api.get(url).json()
        if job["status"] != "InProgress" or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def test_render_now_in_every_format(api: httpx.Client) -> None:
    card_hash = api.get("/cards/churn").json()["content_sha256"]

    pdf = api.get("/cards/churn/export", params={"format": "pdf"})
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="churn-v1.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert card_hash in text.replace("\n", "").replace(" ", "")

    html = api.get("/cards/churn/export", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in html.text
    assert "&lt;script&gt;" in html.text

    exported = api.get("/cards/churn/export", params={"format": "json", "version": 1}).json()
    assert card_hash in json.dumps(exported)

    hf = api.get("/cards/churn/export", params={"format": "hf"})
    assert hf.headers["content-disposition"] == 'attachment; filename="README.md"'
    front_matter = hf.text.split("---")[1]
    assert isinstance(yaml.safe_load(front_matter), dict)
    markdown = api.get("/cards/churn/export", params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "churn" in markdown.text


def test_render_now_refuses_what_does_not_exist(api: httpx.Client) -> None:
    missing = api.get("/cards/churn/export", params={"version": 7})
    assert missing.status_code == 404
    assert "no version 7" in missing.json()["detail"]
    assert api.get("/cards/nobody/export").status_code == 404
    bad = api.get("/cards/churn/export", params={"format": "docx"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_an_export_job_and_its_artifact(api: httpx.Client) -> None:
    started = api.post(
        "/cards/churn/export-jobs",
        json={"name": "audit", "output_path": "s3://audits/2026", "format": "md"},
    )
    assert started.status_code == 202, started.text
    assert started.json()["status"] in {"InProgress", "Completed"}
    location = started.headers["Location"]
    assert location.endswith("/api/v1/cards/churn/export-jobs/audit")

    job = _wait(api, location)
    assert job["status"] == "Completed", job
    assert job["artifact_uri"] == "s3://audits/2026/churn/audit/churn-v1.md"
    artifact = api.get("/cards/churn/export-jobs/audit/artifact")
    assert artifact.status_code == 200
    assert artifact.headers["content-disposition"] == 'attachment; filename="churn-v1.md"'
    rendered_now = api.get("/cards/churn/export", params={"format": "md"}).text
    assert artifact.text.splitlines()[:3] == rendered_now.splitlines()[:3]

    second = api.post("/cards/churn/export-jobs", json={"name": "bcd", "output_path": "s3://a"})
    assert second.status_code == 202, second.text
    listed = api.get("/cards/churn/export-jobs").json()
    assert [j["name"] for j in listed["items"]] == ["bcd", "audit"]
    by_name = api.get("/cards/churn/export-jobs", params={"sort": "name", "order": "asc"}).json()
    assert [j["name"] for j in by_name["items"]] == ["audit", "bcd"]
    refused = api.get("/cards/churn/export-jobs", params={"order": "Ascending"})
    assert refused.status_code == 422
    assert api.get("/cards/churn/export-jobs", params={"status": "Failed"}).json()["items"] == []
    _wait(api, second.headers["Location"])


def test_refused_export_jobs_change_nothing(api: httpx.Client) -> None:
    ok = {"name": "once", "output_path": "s3://audits"}
    assert api.post("/cards/churn/export-jobs", json=ok).status_code == 202
    for body, status, path in (
        (ok, 409, None),
        ({**ok, "name": "x", "output_path": "ftp://nowhere"}, 422, "$.output_path"),
        ({**ok, "name": "bad_name"}, 422, "$.name"),
        ({**ok, "name": "y", "version": 5}, 404, None),
        ({**ok, "name": "z", "format": "docx"}, 422, "$.format"),
    ):
        refused = api.post("/cards/churn/export-jobs", json=body)
        assert refused.status_code == status, refused.text
        if path is not None:
            assert path in json.dumps(refused.json())
    assert api.post("/cards/nobody/export-jobs", json=ok).status_code == 404
    assert [j["name"] for j in api.get("/cards/churn/export-jobs").json()["items"]] == ["once"]
    assert api.get("/cards/churn/export-jobs/never").status_code == 404
    assert api.get("/cards/churn/export-jobs/never/artifact").status_code == 404
