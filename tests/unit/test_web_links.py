"""The page of a resource in the web UI, from its ARN."""

from __future__ import annotations

import pytest

from cardinal.api.web.links import Link, resource_link

ARN = "arn:aws:sagemaker:us-east-1:000000000000"


@pytest.mark.parametrize(
    ("arn", "link"),
    [
        (f"{ARN}:model-card/churn-v2", Link("churn-v2", "/cards/churn-v2")),
        (f"{ARN}:model-package-group/churn", Link("churn", "/groups/churn")),
        (f"{ARN}:model-package/churn/12", Link("churn/12", "/groups/churn/versions/12")),
        (f"{ARN}:model-package/unversioned", Link(f"{ARN}:model-package/unversioned", None)),
        (f"{ARN}:model-card-export-job/c/j", Link(f"{ARN}:model-card-export-job/c/j", None)),
        ("cardinal:user/ann", Link("cardinal:user/ann", None)),
    ],
)
def test_a_resource_links_to_its_page(arn: str, link: Link) -> None:
    assert resource_link(arn) == link
