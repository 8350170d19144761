"""The search filter language: what each filter means as a SageMaker expression, and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardinal.domain.errors import InputField, InvalidInput
from cardinal.domain.search import (
    CATALOGS,
    MAX_EXPRESSION_NODES,
    Expression,
    Filter,
    Operator,
    Resource,
    SearchQuery,
    check_query,
)
from cardinal.domain.search_language import ALIASES, MAX_FILTER_CHARS, parse_filter

CARD = Resource.MODEL_CARD
PACKAGE = Resource.MODEL_PACKAGE
GROUP = Resource.MODEL_PACKAGE_GROUP
Op = Operator


def one(name: str, op: Operator = Op.EQUALS, value: str | None = None) -> Expression:
    return Expression(filters=(Filter(name, op, value),))


@pytest.mark.parametrize(
    ("text", "resource", "expected"),
    [
        ("name = churn", CARD, one("ModelCardName", Op.EQUALS, "churn")),
        ("status != Draft", CARD, one("ModelCardStatus", Op.NOT_EQUALS, "Draft")),
        ("name ~ churn", CARD, one("ModelCardName", Op.CONTAINS, "churn")),
        ("name contains churn", CARD, one("ModelCardName", Op.CONTAINS, "churn")),
        ("version >= 2", CARD, one("ModelCardVersion", Op.GREATER_THAN_OR_EQUAL_TO, "2")),
        ("version > 2", CARD, one("ModelCardVersion", Op.GREATER_THAN, "2")),
        ("version <= 2", CARD, one("ModelCardVersion", Op.LESS_THAN_OR_EQUAL_TO, "2")),
        ("version<2", CARD, one("ModelCardVersion", Op.LESS_THAN, "2")),
        (
            "created > 2026-01-01T00:00:00",
            CARD,
            one("CreationTime", Op.GREATER_THAN, "2026-01-01T00:00:00"),
        ),
        ("modified < 2026-01-01", CARD, one("LastModifiedTime", Op.LESS_THAN, "2026-01-01")),
        ("risk = High", CARD, one("RiskRating", Op.EQUALS, "High")),
        ("model = m-1", CARD, one("ModelId", Op.EQUALS, "m-1")),
        ("RiskRating = Low", CARD, one("RiskRating", Op.EQUALS, "Low")),
        ("tag.team = retention", CARD, one("Tags.team", Op.EQUALS, "retention")),
        ("Tags.team = retention", CARD, one("Tags.team", Op.EQUALS, "retention")),
        ('tag."cost center" = ops', CARD, one("Tags.cost center", Op.EQUALS, "ops")),
        ("exists tag.team", GROUP, one("Tags.team", Op.EXISTS)),
        ("not exists approval_description", PACKAGE, one("ApprovalDescription", Op.NOT_EXISTS)),
        ("NOT EXISTS description", GROUP, one("ModelPackageGroupDescription", Op.NOT_EXISTS)),
        ("stage = Production", PACKAGE, one("ModelLifeCycle.Stage", Op.EQUALS, "Production")),
        ("approval = Approved", PACKAGE, one("ModelApprovalStatus", Op.EQUALS, "Approved")),
        ("group = g", PACKAGE, one("ModelPackageGroupName", Op.EQUALS, "g")),
        ("name = g", GROUP, one("ModelPackageGroupName", Op.EQUALS, "g")),
        (
            "status in (Draft, PendingReview)",
            CARD,
            one("ModelCardStatus", Op.IN, "Draft,PendingReview"),
        ),
        ('status in ("Draft")', CARD, one("ModelCardStatus", Op.IN, "Draft")),
        ('name = "two words"', CARD, one("ModelCardName", Op.EQUALS, "two words")),
        ("name = 'single \\'q\\''", CARD, one("ModelCardName", Op.EQUALS, "single 'q'")),
        ('name = "a\\"b\\\\c\\u00e9\\n"', CARD, one("ModelCardName", Op.EQUALS, 'a"b\\cé\n')),
        ("name = o'brien", CARD, one("ModelCardName", Op.EQUALS, "o'brien")),
        ('name = "and"', CARD, one("ModelCardName", Op.EQUALS, "and")),
        ("name = or", CARD, one("ModelCardName", Op.EQUALS, "or")),
        (
            "arn = arn:aws:sagemaker:us-east-1:0:model-card/x",
            CARD,
            one("ModelCardArn", Op.EQUALS, "arn:aws:sagemaker:us-east-1:0:model-card/x"),
        ),
        ("((name = x))", CARD, one("ModelCardName", Op.EQUALS, "x")),
        ("  name   =   x  ", CARD, one("ModelCardName", Op.EQUALS, "x")),
    ],
)
def test_single_filters(text: str, resource: Resource, expected: Expression) -> None:
    assert parse_filter(text, resource) == expected


def test_and_binds_tighter_than_or() -> None:
    parsed = parse_filter("name = a or name = b and risk = High", CARD)
    assert parsed == Expression(
        filters=(Filter("ModelCardName", Op.EQUALS, "a"),),
        subexpressions=(
            Expression(
                filters=(
                    Filter("ModelCardName", Op.EQUALS, "b"),
                    Filter("RiskRating", Op.EQUALS, "High"),
                )
            ),
        ),
        any_of=True,
    )


def test_parentheses_group_and_like_groups_flatten() -> None:
    parsed = parse_filter("(group = a or group = b) and version != 3 and (risk = Low)", CARD)
    assert parsed == Expression(
        filters=(
            Filter("ModelCardVersion", Op.NOT_EQUALS, "3"),
            Filter("RiskRating", Op.EQUALS, "Low"),
        ),
        subexpressions=(
            Expression(
                filters=(
                    Filter("ModelPackageGroupName", Op.EQUALS, "a"),
                    Filter("ModelPackageGroupName", Op.EQUALS, "b"),
                ),
                any_of=True,
            ),
        ),
    )
    flat = parse_filter("(name = 1 and (group = 2 and model = 3))", CARD)
    assert flat is not None
    assert len(flat.filters) == 3
    assert not flat.subexpressions


def test_keywords_any_case_and_no_spaces_needed() -> None:
    assert parse_filter("name=a OR name=b", CARD) == Expression(
        filters=(Filter("ModelCardName", Op.EQUALS, "a"), Filter("ModelCardName", Op.EQUALS, "b")),
        any_of=True,
    )


@pytest.mark.parametrize("text", ["", "   ", "\t \n"])
def test_empty_filter_is_no_expression(text: str) -> None:
    assert parse_filter(text, CARD) is None


def test_every_alias_names_a_property_of_its_resource() -> None:
    for resource, aliases in ALIASES.items():
        for alias, name in aliases.items():
            assert name in CATALOGS[resource], (resource, alias)
            assert parse_filter(f"exists {alias}", resource) == one(name, Op.EXISTS)


def test_parsed_filters_pass_the_search_check() -> None:
    expression = parse_filter(
        "(group = churn or name ~ churn) and status in (Draft, Approved) and version >= 2 "
        "and created > 2026-01-01T00:00:00 and not exists model and tag.team = retention",
        CARD,
    )
    check_query(SearchQuery(CARD, expression))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("group = customer-churn and risk =", "at column 34: expected a value after '='"),
        ("name =", "at column 7: expected a value after '='"),
        ("name = x y", "at column 10: expected 'and', 'or' or the end of the filter, found 'y'"),
        ("name x", "at column 6: expected an operator after the property"),
        ("name", "at column 5: expected an operator after the property"),
        ("= x", "at column 1: expected a property"),
        ("name = x and", "at column 13: expected a property"),
        ("name = x or or", "at column 13: expected a property (such as name, status or tag.<key>)"),
        ("not name = x", "at column 5: expected 'exists' after 'not'"),
        ("exists", "at column 7: expected a property"),
        ("(name = x", "at column 10: expected ')' to close the '(' at column 1"),
        ("name = x)", "at column 9: this ')' closes no '('"),
        ("()", "at column 2: expected a property"),
        ("status in Draft", "at column 11: expected '(' after 'in'"),
        ("status in ()", "at column 12: expected a value after '('"),
        ("status in (a,", "at column 14: expected a value after ','"),
        ("status in (a b)", "at column 14: expected ',' or ')' to close the list at column 11"),
        ('status in ("a,b")', "at column 12: a value in a list may be neither empty nor hold"),
        ('name = "abc', 'at column 8: the string that starts here has no closing "'),
        ('name = "a\\qb"', "at column 10: expected one of the escapes"),
        ('name = "\\u12"', "at column 9: expected four hex digits after '\\u'"),
        ('name = "\\u0000"', "at column 9: '\\u0000' is not a character a value may hold"),
        ('name = "\\ud800"', "is not a character a value may hold"),
        ("name = a\x00b", "at column 9: unexpected control character U+0000"),
        ('name = "a\x01"', "at column 10: unexpected control character U+0001"),
        ("name ! x", "at column 6: expected '!='"),
        ("name <> x", "at column 7: expected a value after '<'"),
        ("foo = 1", "at column 1: 'foo' is not a property of ModelCard"),
        ("approval = Approved", "'approval' is not a property of ModelCard"),
        ("ModelCardName. = x", "'ModelCardName.' is not a property"),
        ("tag. = x", "'tag.' is not a property"),
        ("name > x", "at column 1: Operator GreaterThan compares numbers and times"),
        ("version ~ 1", "at column 1: Operator Contains applies to text"),
        ("version in (1, 2)", "Operator In applies to text"),
        ("version = abc", "'abc' is not a number"),
        ("version = 1e400", "'1e400' is not a number"),
        ("created > yesterday", "'yesterday' is not a time"),
        ("name = a and (name = b or (model = c", "at column 37: expected ')' to close the '('"),
    ],
)
def test_errors_name_the_column_and_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_filter(text, CARD)
    assert message in caught.value.message
    assert caught.value.field is InputField.SEARCH_FILTER


def test_limits() -> None:
    with pytest.raises(InvalidInput, match="at most 4096 characters"):
        parse_filter("name = " + "x" * MAX_FILTER_CHARS, CARD)
    with pytest.raises(InvalidInput, match="nest at most 10 deep"):
        parse_filter("(" * 11 + "name = x" + ")" * 11, CARD)
    many = " or ".join(f"name = n{i}" for i in range(MAX_EXPRESSION_NODES + 1))
    with pytest.raises(InvalidInput, match=f"at most {MAX_EXPRESSION_NODES} conditions"):
        parse_filter(many, CARD)
    deep = "(" * 2000 + "name = x"
    with pytest.raises(InvalidInput):
        parse_filter(deep, CARD)


def test_two_contains_are_refused_by_the_search_check() -> None:
    expression = parse_filter("name ~ a and model ~ b", CARD)
    with pytest.raises(InvalidInput, match="CONTAINS"):
        check_query(SearchQuery(CARD, expression))


_WORDS = [
    "name", "status", "risk", "version", "created", "group", "tag.team", "ModelCardName",
    "approval", "stage", "and", "or", "not", "exists", "in", "contains", "=", "!=", ">", ">=",
    "<", "<=", "~", "(", ")", ",", '"', "'", "\\", "Draft", "High", "2", "-1.5", "1e400",
    "2026-01-01T00:00:00", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "x y",
]  # fmt: skip
_PIECES = st.lists(st.sampled_from(_WORDS) | st.text(max_size=4), max_size=14)


@settings(max_examples=400, derandomize=True, database=None)
@given(
    text=st.one_of(_PIECES.map(" ".join), _PIECES.map("".join), st.text(max_size=60)),
    resource=st.sampled_from(list(Resource)),
)
def test_any_text_parses_or_is_refused_as_invalid_input(text: str, resource: Resource) -> None:
    refused: str | None = None
    try:
        expression = parse_filter(text, resource)
    except InvalidInput as error:
        refused = error.message
    if refused is not None:
        assert refused.startswith(("at column ", "A filter may be at most"))
        return
    try:
        check_query(SearchQuery(resource, expression))
    except InvalidInput as error:  # more than one Contains: the query as a whole is refused
        refused = error.message
    assert refused is None or "CONTAINS" in refused
