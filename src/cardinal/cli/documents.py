"""Card content in files: read YAML or JSON (``.json`` is read as strict JSON), write YAML.

YAML is read without YAML 1.1's implicit timestamps (``2024-05-01`` stays the string it means
in a card) and must come out as JSON: a mapping at the top, string keys, finite numbers. A file
that breaks this raises a :class:`CommandError` naming the file and where (exit 4), and so does
content the server refuses in several places (:func:`content_refused`), one place a line.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cardinal.cli.errors import EXIT_REFUSED, CommandError, exit_for, usage_error
from cardinal.client import InvalidInputError
from cardinal.domain.json_paths import Step, json_path

if TYPE_CHECKING:
    import yaml

# PyYAML is imported when a command reads or writes YAML: most commands never do, and it
# costs a command's start.


@cache
def _loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader, minus timestamps."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def refused(message: str) -> CommandError:
    return CommandError(EXIT_REFUSED, "refused", message)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise usage_error(f"cannot read {path}: {error}") from None


def parse_document(text: str, source: str, *, strict_json: bool = False) -> dict[str, Any]:
    """The JSON object in ``text`` (YAML, or JSON when ``strict_json``)."""
    if strict_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise refused(
                f"{source} is not valid JSON: line {error.lineno}, column {error.colno}: "
                f"{error.msg}"
            ) from None
    else:
        import yaml

        try:
            data = yaml.load(text, Loader=_loader())
        except yaml.YAMLError as error:
            raise refused(f"{source} is not valid YAML: {_yaml_problem(error)}") from None
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        raise refused(f"{source}: card content must be a mapping (a JSON object), not {found}.")
    _check_json(data, [], source)
    return data


def read_document(path: Path) -> dict[str, Any]:
    """The content in a YAML or JSON file."""
    return parse_document(read_text(path), str(path), strict_json=path.suffix.lower() == ".json")


def content_refused(error: InvalidInputError, source: str) -> CommandError:
    """The refusal of the card content read from ``source``: its one line, or, when the server
    lists several problems in the content, a line naming ``source`` and then one per problem."""
    listed = error.problem.get("errors")
    if (
        not isinstance(listed, list)
        or len(listed) < 2
        or not all(isinstance(e, dict) and e.get("in") == "content" for e in listed)
    ):
        return CommandError(*exit_for(error))
    # The detail reads "Invalid model card content: N problems: at $.a: ...; at $.b: ...".
    summary = error.detail.partition(": at ")[0]
    problems = [f"  at {e.get('path')}: {e.get('detail')}" for e in listed]
    return CommandError(EXIT_REFUSED, "refused", "\n".join([f"{source}: {summary}:", *problems]))


def dump_yaml(content: Any) -> str:
    """YAML for people: keys in their order, Unicode as it is."""
    import yaml

    return yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return " ".join(str(problem).split())
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"


def _check_json(value: Any, path: list[Step], source: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise refused(f"{source} at {json_path(path)}: key {key!r} is not a string.")
            _check_json(item, [*path, key], source)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, [*path, index], source)
    elif isinstance(value, float) and not math.isfinite(value):
        raise refused(f"{source} at {json_path(path)}: {value} is not a JSON number.")
    elif value is not None and not isinstance(value, str | int | float | bool):
        kind = type(value).__name__
        raise refused(f"{source} at {json_path(path)}: a {kind} is not a JSON value.")
