"""Model card export jobs through boto3 against a real server (both backends), artifacts written
where the settings say, and two servers on one database sharing the jobs without running any
twice."""

from __future__ import annotations

import gc
import io
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError
from pypdf import PdfReader
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from cardinal.app import create_app
from cardinal.config import Settings
from tests.conftest import make_client
from tests.support.server import RunningServer, start_server

CONTENT = {
    "model_overview": {"model_description": "Predicts churn"},
    "intended_uses": {"purpose_of_model": "Retention", "risk_rating": "Medium"},
}


def _wait(sm: Any, arn: str, seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        job: dict[str, Any] = sm.describe_model_card_export_job(ModelCardExportJobArn=arn)
        if job["Status"] != "InProgress" or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def _error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_an_export_job_writes_the_pdf_where_the_output_path_says(
    sagemaker: Any, server: RunningServer, tmp_path: Path
) -> None:
    sm = sagemaker
    sm.create_model_card(
        ModelCardName="churn", Content=json.dumps(CONTENT), ModelCardStatus="Draft"
    )
    arn = sm.create_model_card_export_job(
        ModelCardName="churn",
        ModelCardExportJobName="audit-1",
        OutputConfig={"S3OutputPath": "s3://audits/2026"},
    )["ModelCardExportJobArn"]
    assert arn == "arn:aws:sagemaker:us-east-1:000000000000:model-card/churn/export-job/audit-1"

    job = _wait(sm, arn)
    assert job["Status"] == "Completed", job.get("FailureReason")
    assert job["ModelCardName"] == "churn"
    assert job["ModelCardVersion"] == 1
    assert job["OutputConfig"] == {"S3OutputPath": "s3://audits/2026"}
    uri = job["ExportArtifacts"]["S3ExportArtifacts"]
    assert uri == "s3://audits/2026/churn/audit-1/churn-v1.pdf"
    assert job["LastModifiedAt"] >= job["CreatedAt"]

    stored = server.data_dir / "exports" / "audits" / "2026" / "churn" / "audit-1" / "churn-v1.pdf"
    pdf = stored.read_bytes()
    text_of_pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    card_hash = httpx.get(f"{server.url}/api/v1/cards/churn").json()["content_sha256"]
    assert card_hash in text_of_pdf.replace("\n", "").replace(" ", "")
    assert "Predicts churn" in text_of_pdf

    summaries = sm.list_model_card_export_jobs(ModelCardName="churn")["ModelCardExportJobSummaries"]
    assert [(s["ModelCardExportJobName"], s["Status"]) for s in summaries] == [
        ("audit-1", "Completed")
    ]
    assert (
        sm.list_model_card_export_jobs(ModelCardName="nobody")["ModelCardExportJobSummaries"] == []
    )


def test_refused_export_requests_change_nothing(sagemaker: Any) -> None:
    sm = sagemaker
    sm.create_model_card(
        ModelCardName="churn", Content=json.dumps(CONTENT), ModelCardStatus="Draft"
    )
    create = sm.create_model_card_export_job
    good = {
        "ModelCardName": "churn",
        "ModelCardExportJobName": "once",
        "OutputConfig": {"S3OutputPath": "s3://audits"},
    }
    arn = create(**good)["ModelCardExportJobArn"]
    _wait(sm, arn)

    assert _error(create, **good)[0] == "ConflictException"
    code, message = _error(create, **{**good, "ModelCardExportJobName": "x", "ModelCardVersion": 9})
    assert (code, "no version 9" in message) == ("ResourceNotFound", True)
    code, _ = _error(create, **{**good, "ModelCardName": "missing", "ModelCardExportJobName": "y"})
    assert code == "ResourceNotFound"
    code, message = _error(
        create,
        **{**good, "ModelCardExportJobName": "z", "OutputConfig": {"S3OutputPath": "ftp://x"}},
    )
    assert code == "ValidationException"
    assert "outputConfig.s3OutputPath" in message
    code, _ = _error(
        create,
        **{**good, "ModelCardExportJobName": "w", "OutputConfig": {"S3OutputPath": "s3://b/../x"}},
    )
    assert code == "ValidationException"
    code, _ = _error(
        sm.describe_model_card_export_job,
        ModelCardExportJobArn=arn.replace("/once", "/never"),
    )
    assert code == "ResourceNotFound"

    summaries = sm.list_model_card_export_jobs(ModelCardName="churn")["ModelCardExportJobSummaries"]
    assert [s["ModelCardExportJobName"] for s in summaries] == ["once"]


def test_a_job_that_cannot_write_its_output_fails_with_the_reason(
    sagemaker: Any, server: RunningServer
) -> None:
    sm = sagemaker
    (server.data_dir / "exports").mkdir(parents=True, exist_ok=True)
    (server.data_dir / "exports" / "blocked").write_text("not a directory")
    sm.create_model_card(
        ModelCardName="churn", Content=json.dumps(CONTENT), ModelCardStatus="Archived"
    )
    arn = sm.create_model_card_export_job(
        ModelCardName="churn",
        ModelCardExportJobName="nowhere",
        OutputConfig={"S3OutputPath": "s3://blocked/reports"},
    )["ModelCardExportJobArn"]
    job = _wait(sm, arn)
    assert job["Status"] == "Failed"
    assert "cannot write s3://blocked/reports/churn/nowhere/churn-v1.pdf" in job["FailureReason"]
    assert "ExportArtifacts" not in job


def test_a_server_writes_export_artifacts_to_its_export_dir(
    database_url: str, tmp_path: Path
) -> None:
    artifacts = tmp_path / "artifacts"
    server = start_server(
        database_url, tmp_path / "server", extra_env={"CARDINAL_EXPORT_DIR": str(artifacts)}
    )
    try:
        sm: Any = make_client(server.url)
        sm.create_model_card(
            ModelCardName="churn", Content=json.dumps(CONTENT), ModelCardStatus="Draft"
        )
        arn = sm.create_model_card_export_job(
            ModelCardName="churn",
            ModelCardExportJobName="audit-1",
            OutputConfig={"S3OutputPath": "s3://audits/2026"},
        )["ModelCardExportJobArn"]
        job = _wait(sm, arn)
    finally:
        server.stop()
    assert job["Status"] == "Completed", job.get("FailureReason")
    stored = artifacts / "audits" / "2026" / "churn" / "audit-1" / "churn-v1.pdf"
    assert stored.read_bytes().startswith(b"%PDF-")
    assert not (server.data_dir / "exports").exists()


def test_an_app_built_from_settings_alone_writes_to_their_export_dir(
    database_url: str, tmp_path: Path
) -> None:
    artifacts = tmp_path / "artifacts"
    settings = Settings(
        auth="off",
        data_dir=tmp_path / "data",
        database_url=database_url,
        export_dir=artifacts,
        export_poll_seconds=0.05,
    )
    try:
        with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
            created = client.post("/api/v1/cards", json={"name": "churn", "content": CONTENT})
            assert created.status_code == 201, created.text
            started = client.post(
                "/api/v1/cards/churn/export-jobs",
                json={"name": "audit-1", "output_path": "s3://audits", "format": "json"},
            )
            assert started.status_code == 202, started.text
            deadline = time.monotonic() + 60
            while (job := client.get(started.headers["Location"]).json())["status"] == (
                "InProgress"
            ) and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        # The app's lifespan freezes the collector's generations, as a server process wants;
        # this process is the test run, so it gets them back.
        gc.unfreeze()
    assert job["status"] == "Completed", job
    stored = artifacts / "audits" / "churn" / "audit-1" / "churn-v1.json"
    assert json.loads(stored.read_bytes())
    assert not (tmp_path / "data" / "exports").exists()


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[list[RunningServer]]:
    servers = [start_server(database_url, tmp_path / f"server-{i}") for i in range(2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_servers_never_run_one_job_twice(
    two_servers: list[RunningServer], database_url: str
) -> None:
    jobs = 40
    first = two_servers[0].url
    sm: Any = make_client(first)
    sm.create_model_card(
        ModelCardName="shared", Content=json.dumps(CONTENT), ModelCardStatus="Draft"
    )

    def create(index: int) -> str:
        server = two_servers[index % 2]
        response = httpx.post(
            f"{server.url}/api/v1/cards/shared/export-jobs",
            json={"name": f"job-{index}", "output_path": "s3://audits", "format": "json"},
        )
        assert response.status_code == 202, response.text
        return str(response.json()["arn"])

    with ThreadPoolExecutor(8) as pool:
        arns = list(pool.map(create, range(jobs)))
    finished = [_wait(make_client(two_servers[i % 2].url), arn) for i, arn in enumerate(arns)]
    assert {job["Status"] for job in finished} == {"Completed"}

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            runs = connection.execute(
                text("SELECT name, runs, claimed_by FROM model_card_export_jobs")
            ).all()
            finishes = connection.execute(
                text(
                    "SELECT resource_arn, count(*) FROM audit_events "
                    "WHERE action = 'model-card-export-job:finish' GROUP BY resource_arn"
                )
            ).all()
    finally:
        engine.dispose()
    assert sorted(row.name for row in runs) == sorted(f"job-{i}" for i in range(jobs))
    assert {row.runs for row in runs} == {1}
    assert sorted(arn for arn, _ in finishes) == sorted(arns)
    assert {count for _, count in finishes} == {1}
