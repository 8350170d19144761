"""Roles and grants: who may do what, globally or in one model package group."""

from __future__ import annotations

import pytest

from cardinal.domain.access import Action, Grant, Role, missing_role


def test_each_role_includes_the_ones_below_it() -> None:
    grants = [Grant(Role.APPROVER)]
    assert missing_role(grants, Action.READ, "churn") is None
    assert missing_role(grants, Action.WRITE, "churn") is None
    assert missing_role(grants, Action.DECIDE, "churn") is None
    assert missing_role(grants, Action.ADMINISTER, None) == (
        "administering Cardinal needs the admin role; you have approver"
    )


@pytest.mark.parametrize(
    ("action", "needs"),
    [(Action.WRITE, "author"), (Action.DECIDE, "approver"), (Action.ADMINISTER, "admin")],
)
def test_a_viewer_may_only_read(action: Action, needs: str) -> None:
    grants = [Grant(Role.VIEWER)]
    assert missing_role(grants, Action.READ, "churn") is None
    refusal = missing_role(grants, action, "churn")
    assert refusal is not None
    assert f"needs the {needs} role" in refusal


def test_a_group_grant_holds_in_its_group_only() -> None:
    grants = [Grant(Role.VIEWER), Grant(Role.APPROVER, group="churn")]
    assert missing_role(grants, Action.DECIDE, "churn") is None
    assert missing_role(grants, Action.DECIDE, "fraud") == (
        "deciding on versions and cards in group fraud needs the approver role; you have "
        "viewer, and approver in churn"
    )
    assert missing_role(grants, Action.DECIDE, None) is not None


def test_no_grant_no_access() -> None:
    assert missing_role([], Action.READ, "churn") == (
        "reading in group churn needs the viewer role; you have no role"
    )


def test_a_group_grant_of_admin_does_not_administer_cardinal() -> None:
    grants = [Grant(Role.ADMIN, group="churn")]
    assert missing_role(grants, Action.DECIDE, "churn") is None
    assert missing_role(grants, Action.ADMINISTER, None) is not None


def test_any_grant_lets_its_holder_read_the_whole_registry() -> None:
    in_one_group = [Grant(Role.AUTHOR, "churn")]
    assert missing_role(in_one_group, Action.READ, None) is None
    assert missing_role(in_one_group, Action.READ, "fraud") is None
    assert missing_role(in_one_group, Action.WRITE, "fraud") is not None
