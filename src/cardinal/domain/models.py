"""Models, in SageMaker's sense: a named record of the containers that would serve a trained
model (image, artifacts, environment) and of the settings a deployment would use (execution
role, VPC, network isolation). Cardinal keeps them as registry metadata and hosts nothing.

A model's record (``Model.details``) keeps the members of the request that created it under
SageMaker's member names, as given: clients read them back verbatim. Models are never changed,
only created and deleted. As AWS does, the ARN holds the name in lower case, so two names that
differ only in case name one model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cardinal.domain.errors import AlreadyExists, InvalidInput, NotFound
from cardinal.domain.identifiers import Scope, check_entity_name

PRIMARY_CONTAINER = "PrimaryContainer"
CONTAINERS = "Containers"

# AWS's ContainerDefinition.Environment: "The maximum length of each key and value in the
# Environment map is 1024 bytes. The maximum length of all keys and values in the map, combined,
# is 32 KB. If you pass multiple containers ..., then the maximum length of all of their maps,
# combined, is also 32 KB."
MAX_ENVIRONMENT_ENTRY_BYTES = 1024
MAX_ENVIRONMENT_BYTES = 32 * 1024

# The members a model's container shares with a model package's container
# (ModelPackageContainerDefinition); the others have no place in an inference specification.
PACKAGE_CONTAINER_MEMBERS = (
    "ContainerHostname",
    "Image",
    "ModelDataUrl",
    "ModelDataSource",
    "AdditionalModelDataSources",
    "Environment",
)


class ModelNotFound(NotFound):
    """No model of that name exists (in this account and region)."""


class ModelExists(AlreadyExists):
    """A model of that name (in any case) exists already."""


@dataclass(frozen=True)
class Model:
    id: int
    name: str
    arn: str
    created_at: datetime
    created_by: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def containers(self) -> list[dict[str, Any]]:
        """The inference pipeline's containers, or the primary container alone."""
        pipeline = self.details.get(CONTAINERS)
        if pipeline:
            return list(pipeline)
        primary = self.details.get(PRIMARY_CONTAINER)
        return [primary] if primary else []


def model_arn(scope: Scope, name: str) -> str:
    return scope.arn("model", name.lower())


def check_model(name: str, details: Mapping[str, Any]) -> None:
    """Refuse a new model named ``name`` with the members ``details`` (InvalidInput): a name
    SageMaker would refuse, no container or containers given both ways, environments too big."""
    check_entity_name("model", name)
    primary, pipeline = details.get(PRIMARY_CONTAINER), details.get(CONTAINERS)
    if primary is None and not pipeline:
        raise InvalidInput(
            "A model needs its containers: give PrimaryContainer or Containers (the "
            "containers of an inference pipeline)."
        )
    if primary is not None and pipeline is not None:
        raise InvalidInput(
            "Give a model's containers as PrimaryContainer or as Containers, not both."
        )
    _check_environments(list(pipeline or [primary]))


def _check_environments(containers: list[Mapping[str, Any]]) -> None:
    total = 0
    for container in containers:
        for key, value in (container.get("Environment") or {}).items():
            for text in (key, value):
                size = len(str(text).encode())
                if size > MAX_ENVIRONMENT_ENTRY_BYTES:
                    raise InvalidInput(
                        f"The environment entry '{key}' has a key or value of {size:,} bytes; "
                        f"each may hold at most {MAX_ENVIRONMENT_ENTRY_BYTES:,} bytes."
                    )
                total += size
    if total > MAX_ENVIRONMENT_BYTES:
        raise InvalidInput(
            f"The environments of a model's containers hold {total:,} bytes of keys and "
            f"values together; they may hold at most {MAX_ENVIRONMENT_BYTES:,} bytes."
        )


def package_containers(model: Model) -> list[dict[str, Any]]:
    """The model's containers as a model package's inference specification holds them."""
    return [
        {member: container[member] for member in PACKAGE_CONTAINER_MEMBERS if member in container}
        for container in model.containers
    ]
