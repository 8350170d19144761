"""API tokens: recognisable, random, stored only as a hash, checked in constant time."""

from __future__ import annotations

import re

import pytest

from cardinal.domain.api_tokens import (
    PREFIX,
    IssuedToken,
    issue_token,
    lookup_id,
    token_hash,
    token_matches,
)


def test_a_token_is_recognisable_and_random() -> None:
    issued = [issue_token() for _ in range(50)]
    assert len({t.token for t in issued}) == 50
    for t in issued:
        assert re.fullmatch(r"crd_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}", t.token), t.token
        assert t.token.startswith(PREFIX)


def test_only_the_hash_is_kept_and_it_checks_the_token() -> None:
    issued = issue_token()
    assert isinstance(issued, IssuedToken)
    assert issued.token not in issued.hash
    assert issued.hash == token_hash(issued.token)
    assert issued.lookup_id == lookup_id(issued.token)
    assert token_matches(issued.token, issued.hash)
    other = issue_token()
    assert not token_matches(other.token, issued.hash)
    tampered = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")
    assert not token_matches(tampered, issued.hash)


@pytest.mark.parametrize(
    "given", ["", "crd_", "Bearer crd_x", "ghp_" + "a" * 40, "crd_short_x", "crd_" + "a" * 500]
)
def test_what_is_not_a_token_has_no_lookup_id(given: str) -> None:
    assert lookup_id(given) is None
