"""`cardinal card clone`: start the card of a new model version from the previous one's."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cardinal.cli.options import (
    DatabaseUrl,
    DataDir,
    Region,
    local_context,
    local_services,
    out,
    reported_errors,
    settings,
)
from cardinal.domain.model_cards import ModelCardStatus


def clone_command(
    package: Annotated[
        str, typer.Argument(help="The new model version: <group>/<version> or its ARN.")
    ],
    name: Annotated[str, typer.Option("--name", help="Name of the new model card.")],
    status: Annotated[
        ModelCardStatus, typer.Option("--status", help="Status of the new card.")
    ] = ModelCardStatus.DRAFT,
    output: Annotated[str, typer.Option("--output", help="text or json")] = "text",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    region: Region = None,
) -> None:
    """Create the card for a model version, carried over from the previous version's card.

    Business details, intended uses and additional information come from the card of the
    group's most recent earlier version that has one; model_package_details are read from the
    registry. The new card records which card version it came from.

    Example: cardinal card clone customer-churn/2 --name customer-churn-v2
    """
    config = settings(data_dir=data_dir, database_url=database_url, region=region)
    with local_services(config) as services, reported_errors():
        made = services.carry_over.start_card_for_package(
            local_context(config), package, name, status=status
        )
    source = made.source_version
    if output == "json":
        out.print_json(
            json.dumps(
                {
                    "model_card_name": made.card.name,
                    "model_card_arn": made.card.arn,
                    "model_card_version": made.card.latest_version,
                    "model_package_arn": made.package.arn,
                    "carried_over_from": made.card.carried_over_from,
                }
            )
        )
        return
    out.print(
        f"Created model card {made.card.name} (version 1, {status.value}) for {made.package.arn}.",
        highlight=False,
    )
    if made.source is None or source is None:
        out.print("No earlier version of the group has a card: nothing was carried over.")
    else:
        sections = ", ".join(made.carried) or "no sections (they were empty)"
        out.print(
            f"Carried over {sections} from {made.source.name} version {source.version} "
            f"(chain {source.chain_sha256[:16]}…).",
            highlight=False,
        )
