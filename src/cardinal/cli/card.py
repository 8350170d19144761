"""`cardinal card ...`: work with model cards in a local store."""

from __future__ import annotations

import typer

from cardinal.cli.card_clone import clone_command
from cardinal.cli.card_diff import diff_command
from cardinal.cli.card_report import attach_report_command

card_app = typer.Typer(help="Work with model cards.", no_args_is_help=True)
card_app.command("diff")(diff_command)
card_app.command("clone")(clone_command)
card_app.command("attach-report")(attach_report_command)
