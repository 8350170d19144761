"""One rule, two doors: each names the refused field in its own vocabulary.

The rules raise a neutral field (``InputField``); the REST door answers the JSON path of the
body field, the SageMaker door answers as AWS does (a ``ValidationException``, with the member
path where its validation names one). Both refuse with the same words and change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import make_client
from tests.support.server import RunningServer, sqlite_server

CARD = "churn-card"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with sqlite_server(tmp_path_factory.mktemp("fields")) as running:
        yield running


@pytest.fixture(scope="module")
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as client:
        created = client.post("/groups", json={"name": "churn"})
        assert created.status_code == 201, created.text
        registered = client.post("/groups/churn/versions", json={"customer_metadata": {"a": "1"}})
        assert registered.status_code == 201, registered.text
        made = client.post("/cards", json={"name": CARD, "content": {}})
        assert made.status_code == 201, made.text
        yield client


@pytest.fixture(scope="module")
def sagemaker(server: RunningServer, api: httpx.Client) -> Any:
    return make_client(server.url)


def rest_refusal(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/invalid-input")
    return problem["path"], problem["detail"]


def aws_refusal(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as refused:
        call(**params)
    error = refused.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return str(error["Message"])


def state(api: httpx.Client) -> Any:
    return (
        api.get("/groups/churn/versions/1").json(),
        api.get(f"/cards/{CARD}/export-jobs").json(),
    )


@pytest.mark.parametrize(
    ("output_path", "says"),
    [
        ("s3://audits/../elsewhere", "is not an S3 output path: '.' and '..' are not allowed"),
        ("s3://key:se/cret@audits/cards", "credentials do not belong in it"),
        ("s3://[::1]/cards", "is not a valid host or bucket name"),
    ],
)
def test_a_refused_output_path(
    api: httpx.Client, sagemaker: Any, output_path: str, says: str
) -> None:
    before = state(api)

    path, detail = rest_refusal(
        api.post(f"/cards/{CARD}/export-jobs", json={"name": "j", "output_path": output_path})
    )
    message = aws_refusal(
        sagemaker.create_model_card_export_job,
        ModelCardName=CARD,
        ModelCardExportJobName="j",
        OutputConfig={"S3OutputPath": output_path},
    )

    assert path == "$.output_path"
    assert says in detail
    assert message == detail
    assert "se/cret" not in detail
    assert state(api) == before


def test_metadata_keys_both_set_and_removed(api: httpx.Client, sagemaker: Any) -> None:
    """SageMaker names keys to set and keys to remove in two members, so one key can be in
    both; REST's merge patch holds one value per key, so it can't, and the old two-member form
    is refused as a member it does not know."""
    before = state(api)

    message = aws_refusal(
        sagemaker.update_model_package,
        ModelPackageArn=api.get("/groups/churn/versions/1").json()["arn"],
        CustomerMetadataProperties={"a": "2"},
        CustomerMetadataPropertiesToRemove=["a"],
    )
    path, _ = rest_refusal(
        api.patch(
            "/groups/churn/versions/1",
            json={"customer_metadata": {"a": "2"}, "remove_customer_metadata": ["a"]},
        )
    )

    assert message == "Customer metadata key(s) ['a'] cannot be both set and removed."
    assert path == "$.remove_customer_metadata"
    assert state(api) == before


def test_a_metadata_key_breaking_the_key_pattern(api: httpx.Client, sagemaker: Any) -> None:
    before = state(api)

    path, _ = rest_refusal(
        api.patch("/groups/churn/versions/1", json={"customer_metadata": {"a|b": "1"}})
    )
    removing, _ = rest_refusal(
        api.patch("/groups/churn/versions/1", json={"customer_metadata": {"a|b": None}})
    )
    message = aws_refusal(
        sagemaker.update_model_package,
        ModelPackageArn=api.get("/groups/churn/versions/1").json()["arn"],
        CustomerMetadataProperties={"a|b": "1"},
    )

    assert path == "$.customer_metadata['a|b']"
    assert removing == "$.customer_metadata['a|b']"
    assert "at 'customerMetadataProperties'" in message
    assert state(api) == before
