"""Search expressions, as SageMaker's Search takes them, and the properties each resource has.

A property is a dotted name into the resource's search record (``ModelCardName``,
``ModelLifeCycle.Stage``, ``Tags.<key>``). Each has a kind that decides which operators apply:
text takes Equals, NotEquals, Contains, In, Exists, NotExists; numbers and times take the
comparisons as well. A text property with a closed set of values (a status, the risk rating)
names its :class:`Choices`. An expression is checked here, before any query is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from cardinal.domain.errors import InputField, InvalidInput
from cardinal.domain.model_cards import ModelCardStatus, RiskRating
from cardinal.domain.model_registry import ApprovalStatus


class Resource(StrEnum):
    MODEL_PACKAGE_GROUP = "ModelPackageGroup"
    MODEL_PACKAGE = "ModelPackage"
    MODEL_CARD = "ModelCard"


class PropertyKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    TIME = "time"


class Operator(StrEnum):
    EQUALS = "Equals"
    NOT_EQUALS = "NotEquals"
    GREATER_THAN = "GreaterThan"
    GREATER_THAN_OR_EQUAL_TO = "GreaterThanOrEqualTo"
    LESS_THAN = "LessThan"
    LESS_THAN_OR_EQUAL_TO = "LessThanOrEqualTo"
    CONTAINS = "Contains"
    EXISTS = "Exists"
    NOT_EXISTS = "NotExists"
    IN = "In"


COMPARISONS = frozenset(
    {
        Operator.GREATER_THAN,
        Operator.GREATER_THAN_OR_EQUAL_TO,
        Operator.LESS_THAN,
        Operator.LESS_THAN_OR_EQUAL_TO,
    }
)
TEXT_ONLY = frozenset({Operator.CONTAINS, Operator.IN})
VALUELESS = frozenset({Operator.EXISTS, Operator.NOT_EXISTS})
MAX_EXPRESSION_NODES = 50
MAX_NUMBER = 2**53
TAG_PREFIX = "Tags."


@dataclass(frozen=True)
class Choices:
    """The closed set of values a text property holds; ``noun`` names one of them."""

    noun: str
    values: tuple[str, ...]

    def match(self, value: str) -> str:
        """The value of the set ``value`` names in any case; InvalidInput naming the set if none."""
        folded = value.casefold()
        for choice in self.values:
            if choice.casefold() == folded:
                return choice
        raise InvalidInput(
            f"'{value}' is not {self.noun}: use one of {', '.join(sorted(self.values))}",
            field=InputField.SEARCH_FILTER,
        )


@dataclass(frozen=True)
class Property:
    """A searchable property; ``sortable`` ones always have a value."""

    name: str
    kind: PropertyKind
    sortable: bool = False
    choices: Choices | None = None


def _catalog(*properties: Property) -> dict[str, Property]:
    return {p.name: p for p in properties}


_TEXT, _NUM, _TIME = PropertyKind.TEXT, PropertyKind.NUMBER, PropertyKind.TIME

# SageMaker's own enums of the two statuses; Cardinal reports every package and group Completed.
_PACKAGE_STATUSES = ("Pending", "InProgress", "Completed", "Failed", "Deleting")
_GROUP_STATUSES = (*_PACKAGE_STATUSES, "DeleteFailed")

CATALOGS: dict[Resource, dict[str, Property]] = {
    Resource.MODEL_PACKAGE_GROUP: _catalog(
        Property("ModelPackageGroupName", _TEXT, sortable=True),
        Property("ModelPackageGroupArn", _TEXT, sortable=True),
        Property("ModelPackageGroupDescription", _TEXT),
        Property(
            "ModelPackageGroupStatus",
            _TEXT,
            choices=Choices("a model package group status", _GROUP_STATUSES),
        ),
        Property("CreationTime", _TIME, sortable=True),
        Property("LastModifiedTime", _TIME, sortable=True),
        Property("CreatedBy.UserProfileName", _TEXT),
    ),
    Resource.MODEL_PACKAGE: _catalog(
        Property("ModelPackageName", _TEXT, sortable=True),
        Property("ModelPackageGroupName", _TEXT, sortable=True),
        Property("ModelPackageVersion", _NUM, sortable=True),
        Property("ModelPackageArn", _TEXT, sortable=True),
        Property("ModelPackageDescription", _TEXT),
        Property(
            "ModelPackageStatus",
            _TEXT,
            choices=Choices("a model package status", _PACKAGE_STATUSES),
        ),
        Property(
            "ModelApprovalStatus",
            _TEXT,
            sortable=True,
            choices=Choices("an approval status", tuple(s.value for s in ApprovalStatus)),
        ),
        Property("ApprovalDescription", _TEXT),
        Property("ModelLifeCycle.Stage", _TEXT),
        Property("ModelLifeCycle.StageStatus", _TEXT),
        Property("CreationTime", _TIME, sortable=True),
        Property("LastModifiedTime", _TIME, sortable=True),
        Property("CreatedBy.UserProfileName", _TEXT),
        Property("LastModifiedBy.UserProfileName", _TEXT),
    ),
    Resource.MODEL_CARD: _catalog(
        Property("ModelCardName", _TEXT, sortable=True),
        Property("ModelCardArn", _TEXT, sortable=True),
        Property(
            "ModelCardStatus",
            _TEXT,
            sortable=True,
            choices=Choices("a model card status", tuple(s.value for s in ModelCardStatus)),
        ),
        Property("ModelCardVersion", _NUM, sortable=True),
        Property("ModelId", _TEXT),
        Property(
            "RiskRating",
            _TEXT,
            choices=Choices("a risk rating", tuple(r.value for r in RiskRating)),
        ),
        Property("ModelPackageGroupName", _TEXT),
        Property("CreationTime", _TIME, sortable=True),
        Property("LastModifiedTime", _TIME, sortable=True),
        Property("CreatedBy.UserProfileName", _TEXT),
        Property("LastModifiedBy.UserProfileName", _TEXT),
    ),
}


@dataclass(frozen=True)
class Filter:
    name: str
    operator: Operator = Operator.EQUALS
    value: str | None = None


@dataclass(frozen=True)
class NestedFilters:
    """Filters that must all hold for one element of a list property (only ``Tags`` here)."""

    property_name: str
    filters: tuple[Filter, ...]


@dataclass(frozen=True)
class Expression:
    filters: tuple[Filter, ...] = ()
    nested_filters: tuple[NestedFilters, ...] = ()
    subexpressions: tuple[Expression, ...] = ()
    any_of: bool = False

    def node_count(self) -> int:
        return (
            len(self.filters)
            + sum(1 + len(n.filters) for n in self.nested_filters)
            + sum(1 + e.node_count() for e in self.subexpressions)
        )


@dataclass(frozen=True)
class SearchQuery:
    resource: Resource
    expression: Expression | None = None
    sort_by: str = "LastModifiedTime"
    descending: bool = True
    max_results: int = 10
    next_token: str | None = None


def property_of(
    resource: Resource, name: str, field: InputField = InputField.SEARCH_FILTER
) -> Property:
    """The property ``name`` of ``resource``; ``Tags.<key>`` is a text property of every one."""
    if name.startswith(TAG_PREFIX) and len(name) > len(TAG_PREFIX):
        return Property(name, PropertyKind.TEXT)
    found = CATALOGS[resource].get(name)
    if found is None:
        known = ", ".join(sorted(CATALOGS[resource])) + ", Tags.<key>"
        raise InvalidInput(
            f"'{name}' is not a searchable property of {resource.value}. Use one of: {known}.",
            field=field,
        )
    return found


def parse_time(value: str) -> datetime:
    """A Search time value: ``YYYY-mm-ddTHH:MM:SS`` (UTC unless an offset is given) or epoch."""
    try:
        if value.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(value), tz=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        parsed.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(
            f"'{value}' is not a time: use the form YYYY-mm-ddTHH:MM:SS.",
            field=InputField.SEARCH_FILTER,
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_filter(resource: Resource, flt: Filter) -> Property:
    """Check that the filter's operator and value suit its property; return the property."""
    prop = property_of(resource, flt.name)
    if flt.operator in VALUELESS:
        return prop
    if flt.value is None:
        raise InvalidInput(
            f"Filter on '{flt.name}' with operator {flt.operator.value} needs a Value.",
            field=InputField.SEARCH_FILTER,
        )
    if flt.operator in COMPARISONS and prop.kind is PropertyKind.TEXT:
        raise InvalidInput(
            f"Operator {flt.operator.value} compares numbers and times; '{flt.name}' is text.",
            field=InputField.SEARCH_FILTER,
        )
    if flt.operator in TEXT_ONLY and prop.kind is not PropertyKind.TEXT:
        raise InvalidInput(
            f"Operator {flt.operator.value} applies to text; '{flt.name}' is a {prop.kind.value}.",
            field=InputField.SEARCH_FILTER,
        )
    if prop.kind is PropertyKind.NUMBER:
        try:
            number = float(flt.value)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and abs(number) < MAX_NUMBER):
            raise InvalidInput(
                f"'{flt.value}' is not a number, as '{flt.name}' needs (one between -2^53 and 2^53).",
                field=InputField.SEARCH_FILTER,
            )
    if prop.kind is PropertyKind.TIME:
        parse_time(flt.value)
    return prop


def check_query(query: SearchQuery) -> None:
    """Refuse a query SageMaker would refuse, with a message that says why."""
    sort = property_of(query.resource, query.sort_by, InputField.SEARCH_SORT)
    if not sort.sortable:
        sortable = ", ".join(p.name for p in CATALOGS[query.resource].values() if p.sortable)
        raise InvalidInput(
            f"Search results of {query.resource.value} cannot be sorted by '{query.sort_by}'. "
            f"Sort by one of: {sortable}.",
            field=InputField.SEARCH_SORT,
        )
    expression = query.expression
    if expression is None:
        return
    if expression.node_count() > MAX_EXPRESSION_NODES:
        raise InvalidInput(
            f"A search expression may hold at most {MAX_EXPRESSION_NODES} filters, nested "
            "filters and subexpressions in all.",
            field=InputField.SEARCH_FILTER,
        )
    contains = 0
    for flt in _all_filters(expression):
        check_filter(query.resource, flt)
        contains += flt.operator is Operator.CONTAINS
    if contains > 1:
        raise InvalidInput(
            "'CONTAINS' operator usage limit of 1 exceeded.", field=InputField.SEARCH_FILTER
        )
    for nested in _all_nested(expression):
        if nested.property_name != "Tags":
            raise InvalidInput(
                f"'{nested.property_name}' is not a list property of {query.resource.value}; "
                "nested filters apply to Tags.",
                field=InputField.SEARCH_FILTER,
            )
        for flt in nested.filters:
            if flt.name not in ("Tags.Key", "Tags.Value"):
                raise InvalidInput(
                    f"Nested filters on Tags name Tags.Key or Tags.Value, not '{flt.name}'.",
                    field=InputField.SEARCH_FILTER,
                )


def _all_filters(expression: Expression) -> list[Filter]:
    found = list(expression.filters)
    for sub in expression.subexpressions:
        found.extend(_all_filters(sub))
    return found


def _all_nested(expression: Expression) -> list[NestedFilters]:
    found = list(expression.nested_filters)
    for sub in expression.subexpressions:
        found.extend(_all_nested(sub))
    return found
