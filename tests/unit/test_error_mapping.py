"""Every error class of the domain is mapped by every door's table."""

from __future__ import annotations

import pytest

from cardinal.api.rest.problems import problem_for
from cardinal.api.sagemaker.errors import AWS_ERRORS, aws_error
from cardinal.domain.errors import ERROR_CLASSES, CardinalError, StaleVersion


def _all_subclasses(cls: type[CardinalError]) -> set[type[CardinalError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_error_belongs_to_exactly_one_listed_class() -> None:
    assert set(ERROR_CLASSES) <= _all_subclasses(CardinalError)
    for cls in _all_subclasses(CardinalError):
        assert sum(c in ERROR_CLASSES for c in cls.__mro__) == 1, cls


@pytest.mark.parametrize("cls", ERROR_CLASSES)
def test_sagemaker_door_maps_every_error(cls: type[CardinalError]) -> None:
    assert cls in AWS_ERRORS
    code, status = aws_error(cls("message"))
    assert 400 <= status < 500
    assert code.endswith(("Exception", "NotFound", "Exceeded"))


@pytest.mark.parametrize("cls", ERROR_CLASSES)
def test_rest_door_maps_every_error(cls: type[CardinalError]) -> None:
    response = problem_for(cls("message"))
    assert 400 <= response.status_code < 500
    assert response.media_type == "application/problem+json"


def test_a_stale_version_is_a_failed_precondition() -> None:
    assert problem_for(StaleVersion("stale")).status_code == 412
    assert aws_error(StaleVersion("stale")) == ("ConflictException", 400)
