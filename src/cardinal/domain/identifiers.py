"""Where a resource lives (account and region) and its ARN, built and read back.

As in AWS, every resource belongs to one account and one region; its ARN says both. Names given
as ARNs are accepted only for this account and region: an ARN of another scope names nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardinal.domain.errors import InvalidInput, NotFound

# A version as SageMaker writes it: 1 to 9 ASCII digits, no leading zero.
_VERSION = re.compile(r"[1-9][0-9]{0,8}")
_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z\-]*):sagemaker:(?P<region>[a-z0-9\-]*):(?P<account>[0-9]{12}):"
    r"(?P<kind>[a-z\-]+)/(?P<rest>.+)"
)


@dataclass(frozen=True)
class Scope:
    """The account and region a request acts in."""

    account_id: str
    region: str
    partition: str = "aws"

    def arn(self, kind: str, resource: str) -> str:
        return f"arn:{self.partition}:sagemaker:{self.region}:{self.account_id}:{kind}/{resource}"


@dataclass(frozen=True)
class ParsedArn:
    partition: str
    region: str
    account_id: str
    kind: str
    resource: str


def parse_arn(arn: str) -> ParsedArn | None:
    match = _ARN.fullmatch(arn)
    if match is None:
        return None
    return ParsedArn(
        partition=match["partition"],
        region=match["region"],
        account_id=match["account"],
        kind=match["kind"],
        resource=match["rest"],
    )


def name_from_name_or_arn(value: str, scope: Scope, kind: str, what: str) -> str:
    """The resource name in ``value``, which is a plain name or an ARN of ``kind`` in ``scope``.

    An ARN of another kind is invalid input; an ARN of another account or region names a
    resource that does not exist here.
    """
    if not value.startswith("arn:"):
        return value
    parsed = parse_arn(value)
    if parsed is None or parsed.kind != kind:
        raise InvalidInput(f"'{value}' is not the name or ARN of a {what}.")
    if (parsed.account_id, parsed.region) != (scope.account_id, scope.region):
        raise NotFound(f"{what[0].upper()}{what[1:]} '{value}' does not exist.")
    return parsed.resource


@dataclass(frozen=True)
class ModelPackageRef:
    """A versioned model package named by its group and version."""

    group_name: str
    version: int

    @property
    def name(self) -> str:
        return f"{self.group_name}/{self.version}"


def model_package_ref(value: str, scope: Scope) -> ModelPackageRef | None:
    """Read ``<group>/<version>`` or a versioned model package ARN; None for anything else."""
    name = value
    if value.startswith("arn:"):
        parsed = parse_arn(value)
        if parsed is None or parsed.kind != "model-package":
            return None
        if (parsed.account_id, parsed.region) != (scope.account_id, scope.region):
            return None
        name = parsed.resource
    group, sep, version = name.rpartition("/")
    if not sep or not group or "/" in group or not _VERSION.fullmatch(version):
        return None
    return ModelPackageRef(group, int(version))
