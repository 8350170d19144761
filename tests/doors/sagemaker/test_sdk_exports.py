"""Card exports through the SageMaker SDK v2 (`export_pdf`) and sagemaker-core
(`ModelCardExportJob`), on both backends: the jobs reach Completed and the PDF is where the SDK
was told it would be."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.demo import seed_demo_registry
from tests.conftest import ACCOUNT, REGION
from tests.support.demo_pdf import check_demo_pdf
from tests.support.sdk import run_ok, sdk_python
from tests.support.server import RunningServer

pytestmark = pytest.mark.sdk


def _stored(server: RunningServer, uri: str) -> Path:
    assert uri.startswith("s3://")
    return server.data_dir / "exports" / uri.removeprefix("s3://")


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_export_pdf_with_sdk_v2(server: RunningServer, tmp_path: Path) -> None:
    python = sdk_python("v2")
    seen = run_ok(python, "export_v2.py", server, tmp_path)
    assert seen["blocked"] == []
    assert [c for c in seen["calls"] if "error" in c] == []
    operations = [c["operation"] for c in seen["calls"]]
    assert operations[:3] == ["CreateModelCard", "DescribeModelCard", "CreateModelCardExportJob"]
    assert "DescribeModelCardExportJob" in operations
    assert seen["artifact"].startswith("s3://audits/model-cards/churn-audit/churn-audit-")
    assert seen["artifact"].endswith("/churn-audit-v1.pdf")
    assert [(j["status"], j["version"]) for j in seen["jobs"]] == [("Completed", 1)]

    text = _pdf_text(_stored(server, seen["artifact"]))
    card = httpx.get(f"{server.url}/api/v1/cards/churn-audit").json()
    flat = text.replace("\n", "").replace(" ", "")
    assert card["content_sha256"] in flat
    for value in ("churn-audit", "Approved", "0.912", "0.734", "Gradient-boosted churn model"):
        assert value in text


def test_the_demo_cards_export_to_pdf_with_sdk_v2(
    server: RunningServer, database_url: str, tmp_path: Path
) -> None:
    services = Services.for_database(database_url)
    try:
        seed_demo_registry(services, RequestContext(Scope(ACCOUNT, REGION), "demo", "seed"))
    finally:
        services.close()
    seen = run_ok(sdk_python("v2"), "export_demo_v2.py", server, tmp_path)
    assert seen["blocked"] == []
    for name, artifact in seen["artifacts"].items():
        card = httpx.get(f"{server.url}/api/v1/cards/{name}").json()
        assert artifact.endswith(f"/{name}-v{card['version']}.pdf")
        check_demo_pdf(_stored(server, artifact).read_bytes(), card)
    assert sorted(seen["artifacts"]) == ["customer-churn-v1", "customer-churn-v2"]


def test_model_card_export_job_with_sagemaker_core(server: RunningServer, tmp_path: Path) -> None:
    python = sdk_python("v3")
    seen = run_ok(python, "export_v3.py", server, tmp_path)
    assert seen["blocked"] == []
    assert seen["status"] == "Completed"
    assert seen["version"] == 2
    assert seen["artifact"] == "s3://audits/core/churn-core/core-export/churn-core-v2.pdf"
    assert seen["listed"] == [["core-export", "Completed"]]
    text = _pdf_text(_stored(server, seen["artifact"]))
    assert "Second version" in text
    assert "PendingReview" in text
