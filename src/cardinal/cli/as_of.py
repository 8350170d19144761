"""How a command that answered for an earlier moment (``--as-of``) says what its answer rests
on, and fails when those audit events do not hold."""

from __future__ import annotations

from datetime import datetime

import typer

from cardinal.cli.errors import EXIT_FAILED
from cardinal.cli.output import line, say
from cardinal.wire.point_in_time import ChainCheckRead


def report_chain(as_of: datetime | None, chain: ChainCheckRead | None) -> None:
    """One line on the audit events the answer rests on (and each break), for people."""
    if as_of is None or chain is None:
        return
    moment = as_of.isoformat().replace("+00:00", "Z")
    if chain.verified:
        line(f"As of {moment}, from {chain.events} audit events; each one verified.")
        return
    line(f"As of {moment}, from {chain.events} audit events, which do NOT all verify:")
    for found in chain.breaks:
        line(f"  - {found}")


def fail_if_broken(chain: ChainCheckRead | None) -> None:
    """Exit 1 when the audit events an answer rests on do not hold: it can't be trusted."""
    if chain is not None and not chain.verified:
        say("The answer rests on audit events that do not verify: run `cardinal verify`.")
        raise typer.Exit(EXIT_FAILED)
