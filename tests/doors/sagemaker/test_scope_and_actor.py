"""ARNs and look-ups follow the region of the request's SigV4 scope; the access key is the actor."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import make_client
from tests.support.server import RunningServer


def test_regions_are_separate_and_the_actor_is_recorded(server: RunningServer) -> None:
    east: Any = make_client(server.url, key="alice", region="us-east-1")
    west: Any = make_client(server.url, key="bob", region="eu-west-1")
    east_arn = east.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")[
        "ModelCardArn"
    ]
    assert east_arn == "arn:aws:sagemaker:us-east-1:000000000000:model-card/c"
    with pytest.raises(ClientError) as missing:
        west.describe_model_card(ModelCardName="c")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFound"
    with pytest.raises(ClientError):
        west.describe_model_card(ModelCardName=east_arn)
    assert west.list_model_cards()["ModelCardSummaries"] == []

    west.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    west.update_model_card(ModelCardName="c", Content=json.dumps({"model_overview": {}}))
    described = west.describe_model_card(ModelCardName="c")
    assert described["ModelCardArn"].startswith("arn:aws:sagemaker:eu-west-1:")
    assert described["CreatedBy"]["UserProfileName"] == "bob"
    assert described["LastModifiedBy"]["UserProfileName"] == "bob"
    assert east.describe_model_card(ModelCardName="c")["ModelCardVersion"] == 1


def test_unsigned_requests_are_refused(server: RunningServer) -> None:
    import httpx

    response = httpx.post(
        server.url,
        headers={
            "X-Amz-Target": "SageMaker.ListModelCards",
            "Content-Type": "application/x-amz-json-1.1",
        },
        content=b"{}",
    )
    assert response.status_code == 403
    assert response.json()["__type"] == "MissingAuthenticationTokenException"
