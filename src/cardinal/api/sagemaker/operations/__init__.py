"""Every SageMaker operation Cardinal serves, by name."""

from __future__ import annotations

from cardinal.api.sagemaker.call import Handler
from cardinal.api.sagemaker.operations import (
    export_jobs,
    model_cards,
    model_package_groups,
    model_packages,
    models,
    search,
    tags,
)

OPERATIONS: dict[str, Handler] = {
    **model_package_groups.OPERATIONS,
    **model_packages.OPERATIONS,
    **model_cards.OPERATIONS,
    **models.OPERATIONS,
    **export_jobs.OPERATIONS,
    **search.OPERATIONS,
    **tags.OPERATIONS,
}
