"""Output paths of export jobs: what SageMaker accepts, and nothing a store could mangle."""

from __future__ import annotations

import pytest

from cardinal.domain.errors import InputField, InvalidInput
from cardinal.domain.export_jobs import OutputLocation, output_location


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
    assert refused.value.field is InputField.OUTPUT_PATH


SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY"  # the shape of an AWS secret key: '/' and '+' in it


@pytest.mark.parametrize(
    "path",
    [
        f"s3://alice:{SECRET}@audits/cards",
        f"https://alice:{SECRET}@audits/cards",
        f"s3://:{SECRET}@audits",
        f"s3://alice:{SECRET.replace('/', '')}@audits/cards",
        "s3://alice@audits/cards",
        "s3://@audits/cards",
        f"s3://audits?alice:{SECRET}@elsewhere/cards",
        f"s3://alice:{SECRET}/@audits",
        f"s3://alice:{SECRET}@[audits]/cards",
        f"s3://[alice:{SECRET}@audits",
        f"https://alice:{SECRET.split('/')[0]}:443/cards",
        f"s3://alice:{SECRET}@audits/../cards",
        f"s3://alice:{SECRET}@audits/a\x00b",
        f"ftp://alice:{SECRET}@audits/cards",
        f"s3:/alice:{SECRET}@audits/cards",
        f"alice:{SECRET}@audits/cards",
    ],
)
def test_a_path_carrying_credentials_is_refused_without_echoing_them(path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        output_location(path)
    message = refused.value.message
    assert "credentials" in message
    assert "CARDINAL_S3_ACCESS_KEY_ID" in message
    assert "CARDINAL_S3_SECRET_ACCESS_KEY" in message
    for part in (SECRET, *SECRET.split("/"), "wJalr", "alice"):
        assert part not in message
        assert part not in str(refused.value)
    assert refused.value.field is InputField.OUTPUT_PATH


@pytest.mark.parametrize(
    ("path", "prefix"),
    [("s3://audits/cards@2026", "cards@2026"), ("s3://audits/a:b@c", "a:b@c")],
)
def test_an_at_sign_in_the_prefix_is_part_of_the_key(path: str, prefix: str) -> None:
    assert output_location(path) == OutputLocation(bucket="audits", prefix=prefix)
