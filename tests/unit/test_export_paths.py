"""Output paths of export jobs: what SageMaker accepts, and nothing a store could mangle."""

from __future__ import annotations

import pytest

from cardinal.domain.errors import InvalidInput
from cardinal.domain.export_jobs import output_location


@pytest.mark.parametrize(
    ("path", "bucket", "prefix"),
    [
        ("s3://audits", "audits", ""),
        ("s3://audits/", "audits", ""),
        ("s3://audits/cards/2026", "audits", "cards/2026"),
        ("https://audits/cards", "audits", "cards"),
        ("s3://audits/prüfung/模型", "audits", "prüfung/模型"),
    ],
)
def test_an_s3_path_names_a_bucket_and_a_prefix(path: str, bucket: str, prefix: str) -> None:
    location = output_location(path)
    assert (location.bucket, location.prefix) == (bucket, prefix)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("ftp://audits/cards", "expected s3://bucket/prefix"),
        ("s3:///cards", "expected s3://bucket/prefix"),
        ("s3://audits/../elsewhere", "'.' and '..' are not allowed"),
        ("s3://audits/a\x00b", "control characters"),
        ("s3://audits/a\nb", "control characters"),
        ("s3://audits/\ud800x", "lone surrogates"),
        ("https://j\x18[/x", "control characters"),
        ("https://[::1/cards", "not a valid host"),
        ("s3://[audits]/cards", "not a valid host"),
    ],
)
def test_a_path_no_store_could_hold_is_refused(path: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        output_location(path)
    assert reason in refused.value.message
    assert refused.value.path == "OutputConfig.S3OutputPath"
