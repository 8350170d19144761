"""Settings: the S3 settings come from CARDINAL_S3_* variables, and the object store for export
artifacts is the one the settings name."""

from __future__ import annotations

from pathlib import Path

import pytest

from cardinal.config import Settings
from cardinal.content.report_sources import S3Settings
from cardinal.store.objects import DirectoryObjectStore, S3ObjectStore

S3_VARIABLES = {
    "CARDINAL_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "CARDINAL_S3_ACCESS_KEY_ID": "key",
    "CARDINAL_S3_SECRET_ACCESS_KEY": "the-secret-key",
    "CARDINAL_S3_REGION": "",
    "AWS_REGION": "eu-west-1",
}


@pytest.fixture(autouse=True)
def _no_s3_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_s3_settings_come_from_cardinal_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in S3_VARIABLES.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.s3 == S3Settings("http://127.0.0.1:9000", "key", "the-secret-key", None)
    assert "the-secret-key" not in repr(settings)


def test_empty_s3_settings_count_as_unset() -> None:
    settings = Settings(
        s3_endpoint_url="", s3_access_key_id="", s3_secret_access_key="", s3_region=""
    )
    assert settings.s3 == S3Settings()


def test_exports_go_to_the_export_dir_unless_s3_is_configured(tmp_path: Path) -> None:
    store = Settings(data_dir=tmp_path, export_dir=tmp_path / "elsewhere").object_store()
    assert isinstance(store, DirectoryObjectStore)
    assert store.root == tmp_path / "elsewhere"
    by_default = Settings(data_dir=tmp_path).object_store()
    assert isinstance(by_default, DirectoryObjectStore)
    assert by_default.root == tmp_path / "exports"
    s3 = Settings(data_dir=tmp_path, s3_endpoint_url="http://127.0.0.1:9000").object_store()
    assert isinstance(s3, S3ObjectStore)
    assert s3.settings == S3Settings(endpoint_url="http://127.0.0.1:9000")
