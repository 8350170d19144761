"""Every error class of the domain is mapped by every door's table, to exactly what it should be.

The expected answers are written out here rather than read from the doors' tables, so a change
of a table (or a class added to the domain without a row) fails a test.
"""

from __future__ import annotations

import inspect
import json

import pytest

from cardinal.api.rest.problems import problem_for
from cardinal.api.sagemaker.errors import aws_error
from cardinal.domain import errors
from cardinal.domain.errors import (
    ERROR_CLASSES,
    AccessDenied,
    AlreadyExists,
    CardinalError,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    NotFound,
    StaleVersion,
    UnknownPageToken,
)
from cardinal.domain.model_cards import LinkedPackageNotFound

# Every class of cardinal.domain.errors below the base, as a caller may raise it.
DOMAIN_ERRORS: tuple[type[CardinalError], ...] = tuple(
    cls
    for _, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, CardinalError)
    and cls is not CardinalError
    and cls.__module__ == errors.__name__
)

REST: dict[type[CardinalError], tuple[int, str]] = {
    NotFound: (404, "https://cardinal.dev/problems/not-found"),
    AlreadyExists: (409, "https://cardinal.dev/problems/already-exists"),
    InvalidInput: (422, "https://cardinal.dev/problems/invalid-input"),
    InvalidState: (409, "https://cardinal.dev/problems/invalid-state"),
    StaleVersion: (412, "https://cardinal.dev/problems/precondition-failed"),
    UnknownPageToken: (409, "https://cardinal.dev/problems/unknown-page-token"),
    LimitExceeded: (422, "https://cardinal.dev/problems/limit-exceeded"),
    NotAuthenticated: (401, "https://cardinal.dev/problems/not-authenticated"),
    AccessDenied: (403, "https://cardinal.dev/problems/forbidden"),
}

SAGEMAKER: dict[type[CardinalError], tuple[str, int]] = {
    NotFound: ("ResourceNotFound", 400),
    AlreadyExists: ("ConflictException", 400),
    InvalidInput: ("ValidationException", 400),
    InvalidState: ("ConflictException", 400),
    StaleVersion: ("ConflictException", 400),
    UnknownPageToken: ("ValidationException", 400),
    LimitExceeded: ("ResourceLimitExceeded", 400),
    NotAuthenticated: ("UnrecognizedClientException", 400),
    AccessDenied: ("AccessDeniedException", 403),
}


def _all_subclasses(cls: type[CardinalError]) -> set[type[CardinalError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_error_belongs_to_exactly_one_listed_class() -> None:
    assert set(ERROR_CLASSES) <= _all_subclasses(CardinalError)
    for cls in _all_subclasses(CardinalError):
        assert sum(c in ERROR_CLASSES for c in cls.__mro__) == 1, cls


def test_every_domain_error_has_an_expected_answer_at_each_door() -> None:
    assert set(ERROR_CLASSES) < set(DOMAIN_ERRORS)  # the walk found the module's classes
    assert set(DOMAIN_ERRORS) == set(REST)
    assert set(DOMAIN_ERRORS) == set(SAGEMAKER)


@pytest.mark.parametrize("cls", DOMAIN_ERRORS, ids=lambda cls: cls.__name__)
def test_sagemaker_door_maps_each_error_to_its_type_and_status(cls: type[CardinalError]) -> None:
    assert aws_error(cls("message")) == SAGEMAKER[cls]


@pytest.mark.parametrize("cls", DOMAIN_ERRORS, ids=lambda cls: cls.__name__)
def test_rest_door_maps_each_error_to_its_status_and_problem_type(
    cls: type[CardinalError],
) -> None:
    status, problem_type = REST[cls]
    response = problem_for(cls("message"))
    body = json.loads(bytes(response.body))
    assert response.status_code == status
    assert response.media_type == "application/problem+json"
    assert (body["type"], body["status"], body["detail"]) == (problem_type, status, "message")


def test_rest_door_names_the_path_of_invalid_input() -> None:
    response = problem_for(InvalidInput("bad", path="$.model_overview.model_name"))
    assert json.loads(bytes(response.body))["path"] == "$.model_overview.model_name"


def test_a_card_linking_no_package_is_not_found_on_rest_and_invalid_on_sagemaker() -> None:
    # REST answers what the store holds (404); SageMaker answers as AWS does.
    error = LinkedPackageNotFound("no such package", path="$.model_package_details")
    assert problem_for(error).status_code == 404
    assert aws_error(error) == ("ValidationException", 400)
