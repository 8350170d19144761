"""`cardinal card ...`: model cards, their versions and evidence.

Each command lives in its own module and is registered on :data:`card_app` here.
"""

from __future__ import annotations

import typer

from cardinal.cli.card_clone import clone_command
from cardinal.cli.card_commands import (
    create_command,
    delete_command,
    history_command,
    list_command,
    restore_command,
    show_command,
    status_command,
)
from cardinal.cli.card_diff import diff_command
from cardinal.cli.card_edit import edit_command
from cardinal.cli.card_export import export_command, export_job_app
from cardinal.cli.card_report import attach_report_command

card_app = typer.Typer(
    help="Model cards: create, show, edit, history, diff, status, restore, clone, attach reports, "
    "export.",
    no_args_is_help=True,
)
card_app.command("create")(create_command)
card_app.command("show")(show_command)
card_app.command("list")(list_command)
card_app.command("history")(history_command)
card_app.command("edit")(edit_command)
card_app.command("status")(status_command)
card_app.command("restore")(restore_command)
card_app.command("diff")(diff_command)
card_app.command("clone")(clone_command)
card_app.command("attach-report")(attach_report_command)
card_app.command("delete")(delete_command)
card_app.command("export")(export_command)
card_app.add_typer(export_job_app, name="export-job")
