"""`cardinal card ...`: work with model cards in a local store."""

from __future__ import annotations

import typer

card_app = typer.Typer(help="Work with model cards.", no_args_is_help=True)
