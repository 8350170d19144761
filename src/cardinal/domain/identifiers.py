"""Where a resource lives (partition, account and region) and its ARN, built and read back.

As in AWS, every resource belongs to one account and one region of one partition; its ARN says
all three. An ARN read for a request must be of the server's partition: one of another partition
(``aws-cn``, ``aws-us-gov``, ...) is invalid input, as it is for an AWS endpoint. An ARN of this
partition but of another account or region is well formed and names nothing here.
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
    """The partition, account and region a request acts in."""

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

    def is_in(self, scope: Scope) -> bool:
        return (self.partition, self.account_id, self.region) == (
            scope.partition,
            scope.account_id,
            scope.region,
        )


def parse_arn(
    arn: str, scope: Scope | None = None, *, what: str = "resource", path: str | None = None
) -> ParsedArn | None:
    """The parts of a SageMaker ARN; None if ``arn`` is not one.

    Read for a request in ``scope``, an ARN of another partition is refused with InvalidInput
    naming the ``what`` ARN and carrying ``path``. Account and region are left to the caller.
    """
    match = _ARN.fullmatch(arn)
    if match is None:
        return None
    parsed = ParsedArn(
        partition=match["partition"],
        region=match["region"],
        account_id=match["account"],
        kind=match["kind"],
        resource=match["rest"],
    )
    if scope is not None and parsed.partition != scope.partition:
        raise InvalidInput(
            f"The {what} ARN '{arn}' is in partition '{parsed.partition}', but this server "
            f"serves partition '{scope.partition}': an ARN of another partition names nothing "
            "here.",
            path=path,
        )
    return parsed


def name_from_name_or_arn(value: str, scope: Scope, kind: str, what: str) -> str:
    """The resource name in ``value``, which is a plain name or an ARN of ``kind`` in ``scope``.

    An ARN of another partition or kind is invalid input; an ARN of another account or region
    names a resource that does not exist here.
    """
    if not value.startswith("arn:"):
        return value
    parsed = parse_arn(value, scope, what=what)
    if parsed is None or parsed.kind != kind:
        raise InvalidInput(f"'{value}' is not the name or ARN of a {what}.")
    if not parsed.is_in(scope):
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
    """Read ``<group>/<version>`` or a versioned model package ARN of ``scope``; None for anything
    else, an ARN of another account or region included. An ARN of another partition is
    InvalidInput."""
    name = value
    if value.startswith("arn:"):
        parsed = parse_arn(value, scope, what="model package")
        if parsed is None or parsed.kind != "model-package" or not parsed.is_in(scope):
            return None
        name = parsed.resource
    group, sep, version = name.rpartition("/")
    if not sep or not group or "/" in group or not _VERSION.fullmatch(version):
        return None
    return ModelPackageRef(group, int(version))
