"""The S3 door's reading of a request: which operation it is, which byte range it asks, and
which card and export job an object key would be the artifact of."""

from __future__ import annotations

import pytest

from cardinal.api.s3.addressing import ObjectAddress, Unsupported, object_address
from cardinal.api.s3.ranges import RangeNotSatisfiable, byte_range
from cardinal.domain.export_artifacts import ArtifactKey, artifact_key


def test_get_and_head_of_an_object_are_served() -> None:
    for method in ("GET", "HEAD"):
        assert object_address(method, "/audits/a/b c/d.pdf", "") == ObjectAddress(
            "audits", "a/b c/d.pdf"
        )
    assert object_address("GET", "/audits//lead", "x-id=GetObject") == ObjectAddress(
        "audits", "/lead"
    )


@pytest.mark.parametrize(
    ("method", "path", "query", "said"),
    [
        ("PUT", "/audits/a.pdf", "", "does not serve PUT requests"),
        ("DELETE", "/audits/a.pdf", "", "does not serve DELETE requests"),
        ("POST", "/audits/a.pdf", "uploads", "does not serve POST requests"),
        ("GET", "", "", "lists no buckets"),
        ("GET", "/", "", "lists no buckets"),
        ("GET", "/audits", "list-type=2", "no bucket operations"),
        ("GET", "/audits/", "", "no bucket operations"),
        ("GET", "/audits/a.pdf", "tagging", "asks for tagging"),
        ("GET", "/audits/a.pdf", "versionId=1&acl", "asks for acl, versionId"),
        ("GET", "/audits/a.pdf", "X-Amz-Signature=00", "asks for X-Amz-Signature"),
    ],
)
def test_every_other_operation_is_unsupported_saying_what_is_served(
    method: str, path: str, query: str, said: str
) -> None:
    with pytest.raises(Unsupported) as caught:
        object_address(method, path, query)
    assert said in str(caught.value)
    assert str(caught.value).startswith("Cardinal serves only GetObject and HeadObject")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-9", (0, 9)),
        ("bytes=5-", (5, 99)),
        ("bytes=90-200", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=9-3", None),  # not a valid range: the whole object
        ("bytes=0-1,5-6", None),  # several ranges: the whole object, as S3 answers
        ("items=0-1", None),
    ],
)
def test_one_byte_range_is_served(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=150-160", "bytes=-0"])
def test_a_range_beyond_the_object_is_not_satisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, 100)


def test_an_artifact_key_names_its_card_and_job_in_its_last_segments() -> None:
    assert artifact_key("audits/2026/churn/audit-1/churn-v1.pdf") == ArtifactKey(
        "churn", "audit-1", "churn-v1.pdf"
    )
    assert artifact_key("churn/audit-1/README.md") == ArtifactKey("churn", "audit-1", "README.md")
    for key in ("churn-v1.pdf", "audit-1/churn-v1.pdf", "a/-bad/job/f.pdf", "a/card/job/"):
        assert artifact_key(key) is None, key
