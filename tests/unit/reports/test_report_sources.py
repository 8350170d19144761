"""Reading reports from local files and from an S3-compatible server (moto's, on 127.0.0.1)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cardinal.content.report_sources import S3Settings, read_report
from cardinal.content.reports import ReportError, ReportNotFound
from cardinal.domain.report_kinds import MAX_REPORT_BYTES
from tests.unit.reports.s3server import S3Server, s3_server
from tests.unit.reports.support import DATA, load

BUCKET = "pipeline-reports"


def _refused(location: str, *, s3: S3Settings | None = None) -> ReportError:
    with pytest.raises(ReportError) as caught:
        read_report(location, s3=s3)
    assert caught.value.source == location
    assert caught.value.message.startswith(f"Report {location}")
    return caught.value


def test_a_local_file_is_read_and_named_as_given() -> None:
    location = str(DATA / "clarify_bias.analysis.json")
    document, source = read_report(location)
    assert (document, source) == (load("clarify_bias.analysis.json"), location)


def test_nan_literals_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "analysis.json"
    path.write_bytes(b'\xef\xbb\xbf{"value": NaN, "other": -Infinity}')
    document, _ = read_report(str(path))
    assert document["value"] != document["value"]
    assert document["other"] == float("-inf")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'{"metric_groups": [}',
            "expected JSON, found an error at line 1 column 20: Expecting value",
        ),
        (b"", "expected JSON, found an error at line 1 column 1: Expecting value"),
        (
            b"metric_groups,name\nx,1\n",
            "expected JSON, found an error at line 1 column 1: Expecting value",
        ),
        (b'{"a": 1, "a": 2}', "expected JSON objects with unique keys, found 'a' twice"),
        (b'{"a": "\xff"}', "expected UTF-8 JSON text, found a byte that is not UTF-8 at 7"),
        (b"[" * 100_000, "expected JSON, found nesting too deep to read"),
    ],
)
def test_a_file_that_is_not_json_is_refused_at_the_root(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(content)
    error = _refused(str(path))
    assert error.path == "$"
    assert error.message == f"Report {path} at $: {expected}"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_REPORT_BYTES + 1)  # sparse: nothing to read
    error = _refused(str(path))
    assert error.path is None
    assert f"it is {MAX_REPORT_BYTES + 1:,} bytes; a report may be at most" in error.message


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    padding = MAX_REPORT_BYTES - len('{"metric_groups": [], "pad": ""}')
    path.write_text(json.dumps({"metric_groups": [], "pad": "x" * padding}))
    assert os.path.getsize(path) == MAX_REPORT_BYTES
    document, _ = read_report(str(path))
    assert document["metric_groups"] == []


def test_missing_files_directories_and_other_schemes_are_refused(tmp_path: Path) -> None:
    assert "there is no such file" in _refused(str(tmp_path / "missing.json")).message
    assert "it is a directory" in _refused(str(tmp_path)).message
    https = "https://example.com/report.json"
    assert "expected a local file path or an s3://bucket/key URI" in _refused(https).message
    assert "expected an S3 URI of the form s3://bucket/key" in _refused("s3://bucket-only").message


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        server.client().create_bucket(Bucket=BUCKET)
        yield server


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "binary/octet-stream",
        "application/octet-stream",
        "application/json; charset=utf-8",
    ],
)
def test_an_s3_object_is_read_with_the_content_types_the_sdk_reads(
    s3: S3Server, content_type: str
) -> None:
    body = (DATA / "model_monitor_regression.aws-docs.json").read_bytes()
    key = f"monitoring/{content_type.replace('/', '_')}/statistics.json"
    s3.client().put_object(Bucket=BUCKET, Key=key, Body=body, ContentType=content_type)
    location = f"s3://{BUCKET}/{key}"
    document, source = read_report(location, s3=s3.settings)
    assert (document, source) == (json.loads(body), location)


def test_an_s3_object_of_another_content_type_is_refused(s3: S3Server) -> None:
    s3.client().put_object(Bucket=BUCKET, Key="report.csv", Body=b"{}", ContentType="text/csv")
    error = _refused(f"s3://{BUCKET}/report.csv", s3=s3.settings)
    assert error.message == (
        f"Report s3://{BUCKET}/report.csv: expected an object of content type "
        "application/json, binary/octet-stream, application/octet-stream, found text/csv"
    )


def _absent(location: str, s3: S3Server) -> ReportNotFound:
    with pytest.raises(ReportNotFound) as caught:
        read_report(location, s3=s3.settings)
    assert caught.value.source == location
    return caught.value


def test_missing_s3_objects_and_buckets_are_not_found(s3: S3Server) -> None:
    missing = _absent(f"s3://{BUCKET}/nothing/here.json", s3)
    no_bucket = _absent("s3://no-such-bucket/statistics.json", s3)

    assert missing.message == (
        f"Report s3://{BUCKET}/nothing/here.json: cannot read it: "
        f"bucket '{BUCKET}' has no object 'nothing/here.json'"
    )
    assert no_bucket.detail == "there is no bucket 'no-such-bucket'"


def test_an_s3_key_keeps_question_marks_and_hashes(s3: S3Server) -> None:
    s3.client().put_object(
        Bucket=BUCKET, Key="runs/a?b#c.json", Body=b'{"k": 1}', ContentType="application/json"
    )

    document, _ = read_report(f"s3://{BUCKET}/runs/a?b#c.json", s3=s3.settings)

    assert document == {"k": 1}


def test_an_s3_object_over_the_limit_is_refused(s3: S3Server) -> None:
    s3.client().put_object(Bucket=BUCKET, Key="huge.json", Body=b" " * (MAX_REPORT_BYTES + 1))
    error = _refused(f"s3://{BUCKET}/huge.json", s3=s3.settings)
    assert f"it is {MAX_REPORT_BYTES + 1:,} bytes" in error.message


def test_an_s3_object_that_is_not_json_is_refused(s3: S3Server) -> None:
    s3.client().put_object(Bucket=BUCKET, Key="broken.json", Body=b'{"regression_metrics": ')
    error = _refused(f"s3://{BUCKET}/broken.json", s3=s3.settings)
    assert error.path == "$"
    assert "expected JSON, found an error at line 1" in error.message


def test_half_a_key_pair_is_refused(s3: S3Server) -> None:
    settings = S3Settings(s3.endpoint_url, "key-only", None, "us-east-1")
    error = _refused(f"s3://{BUCKET}/report.json", s3=settings)
    assert "set both CARDINAL_S3_ACCESS_KEY_ID and CARDINAL_S3_SECRET_ACCESS_KEY" in error.message


def test_an_endpoint_nobody_listens_on_is_refused() -> None:
    from tests.support.server import free_port

    settings = S3Settings(f"http://127.0.0.1:{free_port()}", "k", "s", "us-east-1")
    error = _refused(f"s3://{BUCKET}/report.json", s3=settings)
    assert "cannot read it: Could not connect to the endpoint URL" in error.message
