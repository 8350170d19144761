"""`cardinal card clone`: start the card of a new model version from the previous one's."""

from __future__ import annotations

from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, line
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.wire.cards import CardRead


def _report(card: CardRead) -> None:
    line(
        f"Created model card {card.name} (version 1, {card.status.value}) for "
        f"{card.model_package_arn}."
    )
    source = card.carried_over_from
    if source is None:
        line("No earlier version of the group has a card: nothing was carried over.")
        return
    sections = ", ".join(source.get("sections") or []) or "no sections (they were empty)"
    source_name = str(source.get("model_card_arn", "")).rsplit("/", 1)[-1]
    chain = str(source.get("chain_sha256", ""))[:16]
    line(
        f"Carried over {sections} from {source_name} version "
        f"{source.get('model_card_version')} (chain {chain}…)."
    )


@connected(writes=True)
def clone_command(
    package: Annotated[
        str,
        typer.Argument(
            help="The new model version: <group>/<version> or its ARN.", show_default=False
        ),
    ],
    name: Annotated[
        str, typer.Option("--name", help="Name of the new model card.", show_default=False)
    ],
    status: Annotated[
        ModelCardStatus, typer.Option("--status", help="Status of the new card.")
    ] = ModelCardStatus.DRAFT,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Create the card for a model version, carried over from the previous version's card.

    Business details, intended uses and additional information come from the card of the
    group's most recent earlier version that has one; model_package_details are read from the
    registry. The new card records which card version it came from.

    Example: cardinal card clone customer-churn/2 --name customer-churn-v2
    """
    with connect(where) as cn:
        made = cn.client.cards.clone(package, name, status=status)
    emit(made.card, output, lambda: _report(made.card))
