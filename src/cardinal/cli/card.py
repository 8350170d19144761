"""`cardinal card ...`: model cards, their versions and evidence.

Each command lives in its own module, loaded when it runs (:mod:`cardinal.cli.lazy`): showing a
card does not import what cloning, exporting or attaching a report needs.
"""

from __future__ import annotations

import typer

from cardinal.cli.lazy import Lazy, LazyGroup

_COMMANDS = "cardinal.cli.card_commands"
_EXPORT = "cardinal.cli.card_export"


class CardCommands(LazyGroup):
    lazy = {
        "create": Lazy(_COMMANDS, "create_command"),
        "show": Lazy(_COMMANDS, "show_command"),
        "list": Lazy(_COMMANDS, "list_command"),
        "history": Lazy(_COMMANDS, "history_command"),
        "edit": Lazy("cardinal.cli.card_edit", "edit_command"),
        "status": Lazy(_COMMANDS, "status_command"),
        "restore": Lazy(_COMMANDS, "restore_command"),
        "diff": Lazy("cardinal.cli.card_diff", "diff_command"),
        "clone": Lazy("cardinal.cli.card_clone", "clone_command"),
        "attach-report": Lazy("cardinal.cli.card_report", "attach_report_command"),
        "delete": Lazy(_COMMANDS, "delete_command"),
        "export": Lazy(_EXPORT, "export_command"),
        "export-job": Lazy(_EXPORT, "export_job_app"),
    }


card_app = typer.Typer(
    cls=CardCommands,
    help="Model cards: create, show, edit, history, diff, status, restore, clone, attach reports, "
    "export.",
    no_args_is_help=True,
)


@card_app.callback()
def _card() -> None:
    """A group's callback: its commands are :class:`CardCommands`' to load."""
