"""Where a resource lives (partition, account and region), its name and its ARN, built and read
back. Each identifier's syntax is defined here once, for the doors, the client and the settings.

As in AWS, every resource belongs to one account and one region of one partition; its ARN says
all three. An ARN read for a request must be of the server's partition: one of another partition
(``aws-cn``, ``aws-us-gov``, ...) is invalid input, as it is for an AWS endpoint. An ARN of this
partition but of another account or region is well formed and names nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardinal.domain.errors import InputField, InvalidInput, NotFound

# The name of a model package group, model card or export job, as SageMaker's ``EntityName``:
# ASCII letters and digits with hyphens only between them. The pattern bounds the letters and
# digits, not the hyphens, so a name is also held to ENTITY_NAME_MAX_LENGTH characters.
ENTITY_NAME = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"
ENTITY_NAME_MAX_LENGTH = 63

# A region as a request or the settings may name one (``us-east-1``): 9 to 16 lowercase ASCII
# letters, digits and hyphens, the characters an ARN's region may hold.
REGION = r"[a-z0-9\-]{9,16}"
_REGION = re.compile(REGION)
# The same, as a pattern that must match the whole value (JSON Schema's are searched for).
REGION_PATTERN = rf"^{REGION}$"

# A version as SageMaker writes it: 1 to 9 ASCII digits, no leading zero.
_VERSION = re.compile(r"[1-9][0-9]{0,8}")
_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z\-]*):sagemaker:(?P<region>[a-z0-9\-]*):(?P<account>[0-9]{12}):"
    r"(?P<kind>[a-z\-]+)/(?P<rest>.+)"
)


_ENTITY_NAME = re.compile(ENTITY_NAME)


def check_entity_name(kind: str, name: str) -> None:
    """Refuse ``name`` for a new ``kind`` ("model card", ...) unless it is an ``ENTITY_NAME``."""
    if len(name) > ENTITY_NAME_MAX_LENGTH or _ENTITY_NAME.fullmatch(name) is None:
        raise InvalidInput(
            f"'{name}' can't be the name of a {kind}: a name is 1 to {ENTITY_NAME_MAX_LENGTH} "
            "ASCII letters, digits and hyphens, starting and ending with a letter or digit."
        )


def is_region(value: str) -> bool:
    """Whether ``value`` has the form of a region (see ``REGION``)."""
    return _REGION.fullmatch(value) is not None


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

    @property
    def scope(self) -> Scope:
        """The partition, account and region the ARN names."""
        return Scope(self.account_id, self.region, self.partition)

    def is_in(self, scope: Scope) -> bool:
        return self.scope == scope


def parse_arn(
    arn: str,
    scope: Scope | None = None,
    *,
    what: str = "resource",
    field: InputField | None = None,
) -> ParsedArn | None:
    """The parts of a SageMaker ARN; None if ``arn`` is not one.

    Read for a request in ``scope``, an ARN of another partition is refused with InvalidInput
    naming the ``what`` ARN and naming ``field``. Account and region are left to the caller.
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
            field=field,
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


def model_package_name(value: str, scope: Scope | None = None) -> str | None:
    """The name in ``value``: ``value`` itself, or the resource of a model package ARN (None for
    an ARN of another kind, and, read for a request in ``scope``, of another account or region;
    InvalidInput for one of another partition)."""
    if not value.startswith("arn:"):
        return value
    parsed = parse_arn(value, scope, what="model package")
    if parsed is None or parsed.kind != "model-package":
        return None
    if scope is not None and not parsed.is_in(scope):
        return None
    return parsed.resource


def model_package_ref(value: str, scope: Scope | None = None) -> ModelPackageRef | None:
    """Read ``<group>/<version>`` or a versioned model package ARN; None for anything else.

    Read for a request in ``scope``, an ARN of another account or region is None too, and one of
    another partition is InvalidInput. Without a scope (a client, which does not know the
    server's), an ARN of any partition, account or region is read.
    """
    name = model_package_name(value, scope)
    if name is None:
        return None
    group, sep, version = name.rpartition("/")
    if not sep or not group or "/" in group or not _VERSION.fullmatch(version):
        return None
    return ModelPackageRef(group, int(version))
