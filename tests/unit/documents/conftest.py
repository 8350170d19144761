"""Fixtures: the full churn card, an empty card (only what a document needs), variations."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from cardinal.documents import CardDocument
from tests.unit.documents.cards import build_document, churn_content


@pytest.fixture
def churn() -> CardDocument:
    return build_document(churn_content())


@pytest.fixture
def empty_card() -> CardDocument:
    """Only what a document needs: no content, no package, no history."""
    return build_document({}, version=1, package=None, history=())


@pytest.fixture
def make_document() -> Callable[..., CardDocument]:
    return build_document


@pytest.fixture
def churn_with(churn: CardDocument) -> Callable[[Callable[[dict[str, Any]], None]], CardDocument]:
    """The churn card after ``change`` edited a copy of its content."""

    def edit(change: Callable[[dict[str, Any]], None]) -> CardDocument:
        content = copy.deepcopy(churn.content)
        change(content)
        return build_document(content)

    return edit
