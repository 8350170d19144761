"""Structured diffs of two model card content documents, pure and without I/O.

:func:`diff_content` compares two parsed documents and returns a :class:`CardDiff`: the JSON
paths (``$.intended_uses.risk_rating``, ``$.evaluation_details[0].metric_groups[1].metric_data[2]
.value``) that were added, removed or changed, each with its old and new value. Objects are
compared key by key. Scalars are compared as JSON values: numbers by numeric value (``1`` equals
``1.0``), never equal to a boolean or a string. Lists whose items are all objects with a unique
string ``name`` on both sides (evaluation jobs, metric groups, metrics, training metrics, hyper
parameters) are matched by name, so reordering them is not a change; a matched or added item's
path uses its position in the new document, a removed item's its position in the old one. Any
other list (strings, numbers, graph points, matrices, unnamed objects) is one value: a change
anywhere in it is one change of the whole list. Metrics are treated as units: a metric whose
value changed is one change at its ``.value`` (whatever the value's shape), a metric whose type
and value both changed is one change of the whole metric, and an added or removed metric is one
change at its path. Changes come in document order of the new document, with each removal placed
after the entry that preceded it in the old document.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from cardinal.domain.json_paths import Step, json_path

_Key = TypeVar("_Key", bound=Hashable)


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One difference at ``path``; ``old`` is None when added, ``new`` is None when removed."""

    path: str
    kind: ChangeKind
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; the side that does not exist is left out, not written as null."""
        shaped: dict[str, Any] = {"path": self.path, "kind": str(self.kind)}
        if self.kind is not ChangeKind.ADDED:
            shaped["old"] = self.old
        if self.kind is not ChangeKind.REMOVED:
            shaped["new"] = self.new
        return shaped


@dataclass(frozen=True)
class CardDiff:
    """The changes between two documents, in a deterministic order."""

    changes: tuple[Change, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [change.to_dict() for change in self.changes]}


def diff_content(old: Mapping[str, Any], new: Mapping[str, Any]) -> CardDiff:
    """The changes that turn content document ``old`` into ``new`` (see the module docstring)."""
    changes: list[Change] = []
    _diff(old, new, [], changes)
    return CardDiff(tuple(changes))


def json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values: numbers by value, booleans only equal booleans."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(json_equal(a[key], b[key]) for key in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def _diff(old: Any, new: Any, steps: list[Step], out: list[Change]) -> None:
    if json_equal(old, new):
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        if _is_metric(steps, old, new) and not (
            json_equal(old["type"], new["type"]) or json_equal(old["value"], new["value"])
        ):
            # A metric that became another kind of metric is replaced, not edited.
            out.append(Change(json_path(steps), ChangeKind.CHANGED, old, new))
        else:
            _diff_objects(old, new, steps, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        old_names, new_names = _names(old), _names(new)
        if old_names is not None and new_names is not None:
            _diff_named(old, old_names, new, new_names, steps, out)
            return
    out.append(Change(json_path(steps), ChangeKind.CHANGED, old, new))


def _diff_objects(
    old: Mapping[str, Any], new: Mapping[str, Any], steps: list[Step], out: list[Change]
) -> None:
    for key, in_new in _merged(list(old), list(new)):
        here = [*steps, key]
        if not in_new:
            out.append(Change(json_path(here), ChangeKind.REMOVED, old=old[key]))
        elif key not in old:
            out.append(Change(json_path(here), ChangeKind.ADDED, new=new[key]))
        else:
            _diff(old[key], new[key], here, out)


def _diff_named(
    old: list[Any],
    old_names: list[str],
    new: list[Any],
    new_names: list[str],
    steps: list[Step],
    out: list[Change],
) -> None:
    old_at = {name: index for index, name in enumerate(old_names)}
    new_at = {name: index for index, name in enumerate(new_names)}
    for name, in_new in _merged(old_names, new_names):
        if not in_new:
            index = old_at[name]
            out.append(Change(json_path([*steps, index]), ChangeKind.REMOVED, old=old[index]))
            continue
        index = new_at[name]
        if name not in old_at:
            out.append(Change(json_path([*steps, index]), ChangeKind.ADDED, new=new[index]))
        else:
            _diff(old[old_at[name]], new[index], [*steps, index], out)


def _names(items: list[Any]) -> list[str] | None:
    """The items' names when every item is an object with a unique string name, else None."""
    names = [item.get("name") if isinstance(item, Mapping) else None for item in items]
    if not all(isinstance(name, str) for name in names) or len(set(names)) != len(names):
        return None
    return [str(name) for name in names]


def _is_metric(steps: Sequence[Step], old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return (
        len(steps) >= 2
        and steps[-2] == "metric_data"
        and all(key in doc for doc in (old, new) for key in ("type", "value"))
    )


def _merged(old_keys: Sequence[_Key], new_keys: Sequence[_Key]) -> Iterator[tuple[_Key, bool]]:
    """Every key once, with whether it is in ``new``: the new keys in their order, each key only
    in ``old`` right after the surviving key it followed in ``old`` (or first)."""
    kept = set(new_keys)
    removed_after: dict[_Key | None, list[_Key]] = {}
    anchor: _Key | None = None
    for key in old_keys:
        if key in kept:
            anchor = key
        else:
            removed_after.setdefault(anchor, []).append(key)
    for key in removed_after.get(None, []):
        yield key, False
    for key in new_keys:
        yield key, True
        for gone in removed_after.get(key, []):
            yield gone, False
