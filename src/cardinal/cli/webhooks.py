"""`cardinal webhooks create|list|rotate|delete|deliveries|redeliver`: where audit events are
sent (admin)."""

from __future__ import annotations

from typing import Annotated

import typer

from cardinal.cli.connection import connect
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, fields, line, say, table
from cardinal.cli.terminal import when
from cardinal.wire.webhooks import WebhookRead

webhooks_app = typer.Typer(
    help="Webhooks: send every audit event (or those matching patterns) to a URL, signed.",
    no_args_is_help=True,
)

WebhookId = Annotated[str, typer.Argument(help="The subscription's id (wh_…).", show_default=False)]


def _show(found: WebhookRead) -> None:
    fields(
        [
            ("id", found.id),
            ("url", found.url),
            ("events", ", ".join(found.events)),
            ("groups", ", ".join(found.groups) or "every group"),
            ("enabled", "yes" if found.enabled else f"no: {found.disabled_reason}"),
            *(
                [
                    (
                        "previous",
                        f"also signs until {when(found.previous_secret_expires_at)} UTC",
                    )
                ]
                if found.previous_secret_expires_at
                else []
            ),
            ("created", f"{when(found.created_at)} by {found.created_by}"),
        ]
    )


@webhooks_app.command("create")
@connected(writes=True)
def create_command(
    url: Annotated[
        str, typer.Argument(help="Where to send: an allowed http(s) URL.", show_default=False)
    ],
    event: Annotated[
        list[str] | None,
        typer.Option(
            help="An event pattern, e.g. 'model-package:*' (repeatable; default '*').",
            show_default=False,
        ),
    ] = None,
    group: Annotated[
        list[str] | None,
        typer.Option(
            help="Only events about this group (repeatable; default: every group).",
            show_default=False,
        ),
    ] = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Subscribe a URL to audit events from now on (admin). Prints the signing secret once:
    keep it where the receiver verifies signatures (Standard Webhooks).

    Example: cardinal webhooks create https://ci.example.com/hooks --event 'model-package:*'
    """
    with connect(where) as cn:
        made = cn.client.webhooks.create(url, event or ["*"], group or [])

    def show() -> None:
        _show(made)
        line(f"secret   {made.secret}")
        say("The secret is shown this once: keep it where the receiver verifies signatures.")

    emit(made, output, show)


@webhooks_app.command("list")
@connected
def list_command(output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE) -> None:
    """List the subscriptions (never their secrets).

    Example: cardinal webhooks list
    """
    with connect(where) as cn:
        found = cn.client.webhooks.list()
    emit(
        found,
        output,
        lambda: table(
            ["ID", "URL", "EVENTS", "GROUPS", "ENABLED"],
            [
                (
                    w.id,
                    w.url,
                    ", ".join(w.events),
                    ", ".join(w.groups) or "all",
                    "yes" if w.enabled else "no",
                )
                for w in found
            ],
        ),
    )


@webhooks_app.command("rotate")
@connected(writes=True)
def rotate_command(
    webhook: WebhookId,
    keep_previous_hours: Annotated[
        int,
        typer.Option(
            min=0,
            max=168,
            help="Hours the previous secret also signs each delivery (0: it stops at once, "
            "as after a leak).",
        ),
    ] = 24,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Give a subscription a new signing secret, printed once. Deliveries carry a signature
    with the previous secret too for --keep-previous-hours, so the receiver can switch to the
    new secret without dropping one.

    Example: cardinal webhooks rotate wh_0123456789abcdef --keep-previous-hours 24
    """
    with connect(where) as cn:
        rotated = cn.client.webhooks.rotate(webhook, keep_previous_hours)

    def show() -> None:
        _show(rotated)
        line(f"secret   {rotated.secret}")
        say("The new secret is shown this once: give it to the receiver.")

    emit(rotated, output, show)


@webhooks_app.command("delete")
@connected(writes=True)
def delete_command(webhook: WebhookId, where: Where = EVERYWHERE) -> None:
    """Delete a subscription and its delivery log.

    Example: cardinal webhooks delete wh_0123456789abcdef
    """
    with connect(where) as cn:
        cn.client.webhooks.delete(webhook)
    say(f"Deleted webhook {webhook}.")


@webhooks_app.command("deliveries")
@connected
def deliveries_command(
    webhook: WebhookId, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """The newest 100 deliveries of a subscription, with each one's last answer.

    Example: cardinal webhooks deliveries wh_0123456789abcdef
    """
    with connect(where) as cn:
        found = cn.client.webhooks.deliveries(webhook)
    emit(
        found,
        output,
        lambda: table(
            ["DELIVERY", "EVENT", "RESOURCE", "STATUS", "ATTEMPTS", "LAST ANSWER", "NEXT TRY"],
            [
                (
                    d.id,
                    d.event_seq,
                    d.resource_arn,
                    d.status,
                    d.attempts,
                    d.last_status_code or d.last_error,
                    d.next_attempt_at,
                )
                for d in found
            ],
        ),
    )


@webhooks_app.command("redeliver")
@connected(writes=True)
def redeliver_command(
    webhook: WebhookId,
    delivery: Annotated[
        int, typer.Argument(min=1, help="The delivery's number.", show_default=False)
    ],
    where: Where = EVERYWHERE,
) -> None:
    """Send one delivery again, with the same webhook-id.

    Example: cardinal webhooks redeliver wh_0123456789abcdef 42
    """
    with connect(where) as cn:
        again = cn.client.webhooks.redeliver(webhook, delivery)
    say(f"Delivery {again.id} ({again.webhook_id}) will be sent again shortly.")
