"""`cardinal gate`: exit 0 only if a model version and its card are both Approved."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cardinal.cli.options import (
    EXIT_FAILED,
    DatabaseUrl,
    DataDir,
    Region,
    local_context,
    local_services,
    out,
    reported_errors,
    settings,
)


def gate_command(
    package: Annotated[
        str, typer.Argument(help="The model version: <group>/<version> or its ARN.")
    ],
    output: Annotated[str, typer.Option(help="text or json")] = "text",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    region: Region = None,
) -> None:
    """Gate a deployment: exit 0 only if the version is Approved and its card is Approved.

    Otherwise exit 1 and name what is missing (exit 3 when the version does not exist).

    Example (in a pipeline): cardinal gate customer-churn/7 && deploy customer-churn/7
    """
    config = settings(data_dir=data_dir, database_url=database_url, region=region)
    with local_services(config) as services, reported_errors():
        decision = services.gate.check_release(local_context(config), package)
    if output == "json":
        out.print_json(
            json.dumps(
                {
                    "open": decision.open,
                    "model_package_arn": decision.package.arn,
                    "model_approval_status": decision.package.approval_status.value,
                    "model_card_name": decision.card.name if decision.card else None,
                    "model_card_status": decision.card.status.value if decision.card else None,
                    "missing": list(decision.missing),
                }
            )
        )
    elif decision.open:
        card = decision.card
        assert card is not None
        out.print(
            f"OPEN: {decision.package.name} is Approved and documented by {card.name} "
            f"(version {card.latest_version}, Approved).",
            highlight=False,
        )
    else:
        out.print(f"CLOSED: {decision.package.name}", highlight=False)
        for reason in decision.missing:
            out.print(f"  - {reason}", highlight=False)
    if not decision.open:
        raise typer.Exit(EXIT_FAILED)
