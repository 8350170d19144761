"""`cardinal gate`: exit 0 only if a model version and its card are both Approved."""

from __future__ import annotations

import typer

from cardinal.cli.as_of import fail_if_broken, report_chain
from cardinal.cli.connection import connect
from cardinal.cli.errors import EXIT_FAILED
from cardinal.cli.gate_report import gate_lines
from cardinal.cli.options import (
    EVERYWHERE,
    AsOf,
    Output,
    OutputFormat,
    PackageArgument,
    Where,
    connected,
    moment,
    package_version,
)
from cardinal.cli.output import emit, line


@connected
def gate_command(
    package: PackageArgument,
    as_of: AsOf = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Gate a deployment: exit 0 only if the version is Approved and its card is Approved.

    Otherwise exit 1 and name what is missing (exit 3 when the version does not exist). With
    --as-of, what the gate would have answered then (exit 1 as well when the audit events that
    answer rests on do not verify).

    Example (in a pipeline): cardinal gate customer-churn/7 && deploy customer-churn/7
    Example (an audit): cardinal gate customer-churn/7 --as-of 2026-03-01T12:00:00Z
    """
    group, version = package_version(package)
    at = moment(as_of, "--as-of")
    with connect(where) as cn:
        gate = cn.client.packages.gate(group, version, as_of=at)

    def show() -> None:
        for text in gate_lines(gate.model_dump(mode="json"), f"{group}/{version}"):
            line(text)
        report_chain(gate.as_of, gate.chain)

    emit(gate, output, show)
    fail_if_broken(gate.chain)
    if not gate.open:
        raise typer.Exit(EXIT_FAILED)
