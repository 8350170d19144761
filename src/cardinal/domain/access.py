"""Roles and grants: who may do what in Cardinal.

Four roles, each including the ones before it: ``viewer`` reads, ``author`` registers versions
and writes cards, ``approver`` decides on versions and cards, ``admin`` manages users, keys and
policies. A role is granted globally or in one model package group (a card belongs to the group
of the version it documents). Administering Cardinal itself takes a global admin grant. Any
grant lets its holder read the whole registry: a group grant limits writes and decisions, not
what can be seen, so an approver in one group can compare with the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    AUTHOR = "author"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class Action(StrEnum):
    READ = "reading"
    WRITE = "writing"
    DECIDE = "deciding on versions and cards"
    ADMINISTER = "administering Cardinal"


NEEDED: dict[Action, Role] = {
    Action.READ: Role.VIEWER,
    Action.WRITE: Role.AUTHOR,
    Action.DECIDE: Role.APPROVER,
    Action.ADMINISTER: Role.ADMIN,
}


@dataclass(frozen=True)
class Grant:
    role: Role
    group: str | None = None  # None: every group


def missing_role(grants: Iterable[Grant], action: Action, group: str | None) -> str | None:
    """None when ``grants`` allow ``action`` in ``group`` (None: not within one group, or
    Cardinal as a whole); else what is missing, in words that name the role needed."""
    held = list(grants)
    needed = NEEDED[action]
    if action is Action.READ and held:
        return None
    for grant in held:
        applies = grant.group is None or (
            action is not Action.ADMINISTER and group is not None and grant.group == group
        )
        if applies and grant.role.rank >= needed.rank:
            return None
    where = f" in group {group}" if group is not None and action is not Action.ADMINISTER else ""
    return f"{action.value}{where} needs the {needed.value} role; you have {_held(held)}"


def _held(grants: list[Grant]) -> str:
    if not grants:
        return "no role"
    return ", and ".join(
        g.role.value if g.group is None else f"{g.role.value} in {g.group}" for g in grants
    )
