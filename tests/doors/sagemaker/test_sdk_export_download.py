"""The SageMaker SDK v2's `export_pdf`, then boto3's S3 client downloading the PDF from the URI
the export job reported, against a server started as the README starts the demo (authentication
on, the demo registry seeded, the demo author's access key), on both backends."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.demo_pdf import check_demo_pdf
from tests.support.sdk import run_ok, sdk_python
from tests.support.server import RunningServer, start_server

pytestmark = pytest.mark.sdk


@pytest.fixture
def demo_server(database_url: str, tmp_path: Path) -> Iterator[RunningServer]:
    """``cardinal serve --demo`` with authentication on, signing as the demo author."""
    data_dir = tmp_path / "demo"
    running = start_server(
        database_url, data_dir, extra_env={"CARDINAL_AUTH": "on"}, extra_args=["--demo"]
    )
    author = json.loads((data_dir / "demo-credentials.json").read_text())["demo-author"]
    running.credentials = (author["access_key_id"], author["secret_access_key"])
    yield running
    running.stop()


def test_export_pdf_then_download_it_from_the_reported_uri(
    demo_server: RunningServer, tmp_path: Path
) -> None:
    seen = run_ok(sdk_python("v2"), "export_download_v2.py", demo_server, tmp_path)
    assert seen["blocked"] == []
    assert [c for c in seen["calls"] if "error" in c] == []
    assert seen["s3_operations"] == ["HeadObject", "GetObject"]
    token = json.loads((demo_server.data_dir / "demo-credentials.json").read_text())
    card = httpx.get(
        f"{demo_server.url}/api/v1/cards/customer-churn-v1",
        headers={"Authorization": f"Bearer {token['demo-author']['token']}"},
    ).json()
    artifact = seen["artifact"]
    assert artifact.startswith("s3://audits/demo/customer-churn-v1/")
    assert artifact.endswith(f"/customer-churn-v1-v{card['version']}.pdf")

    stored = (demo_server.data_dir / "exports" / artifact.removeprefix("s3://")).read_bytes()
    downloaded = Path(seen["file"]).read_bytes()
    assert downloaded == stored
    assert seen["sha256"] == hashlib.sha256(stored).hexdigest()
    check_demo_pdf(downloaded, card)
