"""`cardinal policy set|show`: the approval policy, globally or for one group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.documents import dump_yaml, read_document
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, line
from cardinal.cli.terminal import when
from cardinal.wire.approvals import PolicyRead

policy_app = typer.Typer(
    help="Approval policies: who may approve, how many must, what a card needs first.",
    no_args_is_help=True,
)

Group = Annotated[
    str | None,
    typer.Option(help="The group (default: the global policy, for every group without its own)."),
]


def _report(policy: PolicyRead) -> None:
    scope = f"group {policy.group}" if policy.group else "every group (global)"
    line(f"Approval policy for {scope}, version {policy.version}, set by {policy.set_by} "
         f"at {when(policy.set_at)}:")  # fmt: skip
    line(dump_yaml(policy.policy).rstrip())


@policy_app.command("set")
@connected(writes=True)
def set_command(
    file: Annotated[Path, typer.Argument(help="The policy, as YAML or JSON.", show_default=False)],
    group: Group = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Set the next version of the approval policy (admin). The rules: card_approved_first,
    separation_of_duties, approvals_required and required_card_fields by risk rating.

    Example: cardinal policy set policy.yaml --group customer-churn
    """
    document = read_document(file)
    with connect(where) as cn:
        stored = cn.client.policies.set(document, group)
    emit(stored, output, lambda: _report(stored))


@policy_app.command("show")
@connected
def show_command(
    group: Group = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Show the approval policy that holds (in a group: its own, else the global one); exit 3
    when none holds (then one approval approves a version, as in SageMaker).

    Example: cardinal policy show --group customer-churn
    """
    with connect(where) as cn:
        held = cn.client.policies.get(group)
    emit(held, output, lambda: _report(held))
