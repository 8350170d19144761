"""Commands loaded when they run: `cardinal --version` and `cardinal --help` import none of them,
and a command imports only its own module (and what that needs), not every other command's."""

from __future__ import annotations

import difflib
import functools
import importlib
from dataclasses import dataclass
from typing import ClassVar

import typer
import typer.main
from typer import _click as click
from typer.core import TyperGroup


@dataclass(frozen=True)
class Lazy:
    module: str
    attribute: str
    """A ``typer.Typer`` (a group of commands) or a command's function."""
    summary: str = ""
    """Its help's first paragraph, listed by ``cardinal --help`` without loading it (a group's
    own ``--help`` loads its commands for theirs)."""


@functools.cache
def load(name: str, entry: Lazy) -> click.Command:
    found = getattr(importlib.import_module(entry.module), entry.attribute)
    if not isinstance(found, typer.Typer):
        single = typer.Typer()
        single.command(name)(found)
        found = single
    command = typer.main.get_command(found)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    lazy: ClassVar[dict[str, Lazy]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *super().list_commands(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        return load(cmd_name, entry)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.UsageError as error:
            # Typer suggests among the commands it loaded; these are loaded when they run.
            matches = difflib.get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in error.message:
                suggestions = ", ".join(repr(m) for m in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise
