"""`cardinal package ...`: model package versions: register, list, show, approve, reject,
update, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cardinal.cli.as_of import fail_if_broken, report_chain
from cardinal.cli.connection import connect
from cardinal.cli.documents import read_document
from cardinal.cli.errors import reported_errors, usage
from cardinal.cli.options import (
    EVERYWHERE,
    AsOf,
    Limit,
    Output,
    OutputFormat,
    Where,
    connected,
    moment,
    page_size,
    pairs,
)
from cardinal.cli.output import emit, fields, first, line, table
from cardinal.cli.terminal import when
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.wire.registry import PackageRead

package_app = typer.Typer(
    help="Model package versions: register, list, show, approve, reject, update, delete.",
    no_args_is_help=True,
)

Group = Annotated[str, typer.Argument(help="Name of the model package group.", show_default=False)]
Version = Annotated[int, typer.Argument(min=1, help="The version number.", show_default=False)]


def show_package(package: PackageRead) -> None:
    lifecycle = package.lifecycle
    card = package.model_card
    fields(
        [
            ("name", package.name),
            ("arn", package.arn),
            ("description", package.description),
            ("approval", package.approval_status),
            ("approval description", package.approval_description),
            ("metadata", package.customer_metadata),
            ("stage", f"{lifecycle.stage} ({lifecycle.stage_status})" if lifecycle else None),
            ("source uri", package.source_uri),
            ("embedded card", f"version {card.version}, {card.status}" if card else None),
            ("created", f"{when(package.created_at)} by {package.created_by}"),
            (
                "modified",
                f"{when(package.last_modified_at)} by {package.last_modified_by}",
            ),
        ]
    )


def _inference(image: str | None, model_data_url: str | None) -> dict[str, Any] | None:
    if image is None and model_data_url is None:
        return None
    container = {"Image": image, "ModelDataUrl": model_data_url}
    return {"Containers": [{k: v for k, v in container.items() if v is not None}]}


def lifecycle_of(
    stage: str | None, stage_status: str | None, stage_description: str | None = None
) -> dict[str, str] | None:
    if stage is None and stage_status is None and stage_description is None:
        return None
    if stage is None or stage_status is None:
        raise usage("give --stage and --stage-status together.")
    found = {"stage": stage, "stage_status": stage_status}
    if stage_description is not None:
        found["stage_description"] = stage_description
    return found


SetMetadata = Annotated[
    list[str] | None,
    typer.Option(help="Set customer metadata KEY=VALUE (repeat for more).", show_default=False),
]
RemoveMetadata = Annotated[
    list[str] | None,
    typer.Option(help="Remove the customer metadata KEY (repeat for more).", show_default=False),
]
NewStage = Annotated[
    str | None, typer.Option(help="New lifecycle stage, e.g. production.", show_default=False)
]
StageStatus = Annotated[
    str | None, typer.Option(help="Status in the lifecycle stage.", show_default=False)
]
StageDescription = Annotated[
    str | None, typer.Option(help="What the stage change is about.", show_default=False)
]
NewSourceUri = Annotated[
    str | None, typer.Option(help="Where the model came from.", show_default=False)
]


def package_changes(
    metadata: list[str] | None,
    remove_metadata: list[str] | None,
    stage: str | None,
    stage_status: str | None,
    stage_description: str | None,
    source_uri: str | None,
) -> dict[str, Any]:
    """What an update of a package changes, as the client's ``update`` takes it; a usage error
    when it changes nothing."""
    setting: dict[str, str | None] = dict(pairs(metadata, "--metadata") or {})
    both = sorted(set(setting) & set(remove_metadata or []))
    if both:
        raise usage(f"--metadata and --remove-metadata both name {', '.join(both)}; give one.")
    patch = {**setting, **dict.fromkeys(remove_metadata or [])}
    lifecycle = lifecycle_of(stage, stage_status, stage_description)
    if not patch and lifecycle is None and not source_uri:
        raise usage(
            "nothing to change: give --metadata, --remove-metadata, --stage with --stage-status, "
            "or --source-uri."
        )
    return {
        "customer_metadata": patch or None,
        "lifecycle": lifecycle,
        "source_uri": source_uri,
    }


@package_app.command("register")
@connected(writes=True)
def register_package(
    group: Group,
    description: Annotated[
        str | None, typer.Option(help="What this version is.", show_default=False)
    ] = None,
    approval: Annotated[
        ApprovalStatus, typer.Option(help="Approval status to register with.")
    ] = ApprovalStatus.PENDING_MANUAL_APPROVAL,
    card: Annotated[
        Path | None,
        typer.Option(
            help="Embedded model card content (YAML or JSON) to register with the version.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    card_status: Annotated[
        ModelCardStatus, typer.Option(help="Status of the embedded model card.")
    ] = ModelCardStatus.DRAFT,
    metadata: Annotated[
        list[str] | None,
        typer.Option(help="Customer metadata KEY=VALUE (repeat for more).", show_default=False),
    ] = None,
    stage: Annotated[
        str | None, typer.Option(help="Lifecycle stage, e.g. staging.", show_default=False)
    ] = None,
    stage_status: Annotated[
        str | None, typer.Option(help="Status in the lifecycle stage.", show_default=False)
    ] = None,
    source_uri: Annotated[
        str | None, typer.Option(help="Where the model came from.", show_default=False)
    ] = None,
    image: Annotated[
        str | None, typer.Option(help="Inference container image.", show_default=False)
    ] = None,
    model_data_url: Annotated[
        str | None, typer.Option(help="S3 URL of the model artifacts.", show_default=False)
    ] = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Register the group's next model version (versions are numbered 1, 2, 3, ...).

    Example: cardinal package register customer-churn --description "gbm" --metadata auc=0.91
    """
    with reported_errors():
        embedded = read_document(card) if card is not None else None
    lifecycle = lifecycle_of(stage, stage_status)
    customer_metadata = pairs(metadata, "--metadata") or None
    with connect(where) as cn:
        package = cn.client.packages.register(
            group,
            description=description,
            approval_status=approval,
            inference_specification=_inference(image, model_data_url),
            customer_metadata=customer_metadata,
            lifecycle=lifecycle,
            source_uri=source_uri,
            model_card=embedded,
            model_card_status=card_status if embedded is not None else None,
        )
    emit(
        package,
        output,
        lambda: line(f"Registered {package.name} ({package.approval_status.value})."),
    )


@package_app.command("list")
@connected
def list_packages(
    group: Group,
    status: Annotated[
        ApprovalStatus | None, typer.Option(help="Only versions with this approval status.")
    ] = None,
    limit: Limit = 100,
    as_of: AsOf = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List the versions of a group, oldest first.

    With --as-of, the versions that existed then, each with the approval status, lifecycle
    stage and card it had then; json and yaml then print {"items": [...], "as_of": ...,
    "chain": ...}. Exit 1 when the audit events the answer rests on do not verify.

    Example: cardinal package list customer-churn --status Approved
    Example: cardinal package list customer-churn --as-of 2026-03-01T12:00:00Z
    """
    at = moment(as_of, "--as-of")
    with connect(where) as cn:
        if at is None:
            found = cn.client.packages.list(
                group, approval_status=status, page_size=page_size(limit)
            )
            packages, then = first(found, limit), None
        else:
            then = cn.client.packages.list_as_of(group, at, limit=limit, page_size=page_size(limit))
            packages = [p for p in then.items if status is None or p.approval_status is status]
            then = then.model_copy(update={"items": packages})

    def show() -> None:
        table(
            ["VERSION", "APPROVAL", "STAGE", "CARD", "DESCRIPTION", "MODIFIED", "MODIFIED BY"],
            [
                (
                    p.version,
                    p.approval_status,
                    p.lifecycle.stage if p.lifecycle else None,
                    f"v{p.model_card.version} {p.model_card.status}" if p.model_card else None,
                    p.description,
                    p.last_modified_at,
                    p.last_modified_by,
                )
                for p in packages
            ],
        )
        if then is not None:
            report_chain(then.as_of, then.chain)

    emit(then if then is not None else packages, output, show)
    if then is not None:
        fail_if_broken(then.chain)


@package_app.command("show")
@connected
def show_package_command(
    group: Group,
    version: Version,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Show one model version.

    Example: cardinal package show customer-churn 2 --output json
    """
    with connect(where) as cn:
        package = cn.client.packages.get(group, version)
    emit(package, output, lambda: show_package(package))


@package_app.command("approve")
@connected(writes=True)
def approve_package(
    group: Group,
    version: Version,
    description: Annotated[
        str | None, typer.Option(help="Why it is approved.", show_default=False)
    ] = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Approve a model version.

    Example: cardinal package approve customer-churn 2 --description "Holdout AUC 0.91"
    """
    with connect(where) as cn:
        package = cn.client.packages.approve(group, version, description)
    emit(package, output, lambda: line(f"Approved {package.name}."))


@package_app.command("reject")
@connected(writes=True)
def reject_package(
    group: Group,
    version: Version,
    description: Annotated[str, typer.Option(help="Why it is rejected.", show_default=False)],
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Reject a model version, saying why.

    Example: cardinal package reject customer-churn 3 --description "Leaks the label"
    """
    with connect(where) as cn:
        package = cn.client.packages.reject(group, version, description)
    emit(package, output, lambda: line(f"Rejected {package.name}."))


@package_app.command("update")
@connected(writes=True)
def update_package(
    group: Group,
    version: Version,
    metadata: SetMetadata = None,
    remove_metadata: RemoveMetadata = None,
    stage: NewStage = None,
    stage_status: StageStatus = None,
    stage_description: StageDescription = None,
    source_uri: NewSourceUri = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Change what a registered version may change: customer metadata, lifecycle, source URI.

    Everything else about a version is fixed once it is registered.

    Example: cardinal package update customer-churn 2 --stage production --stage-status Deployed
    """
    changes = package_changes(
        metadata, remove_metadata, stage, stage_status, stage_description, source_uri
    )
    with connect(where) as cn:
        package = cn.client.packages.update(group, version, **changes)
    emit(package, output, lambda: show_package(package))


@package_app.command("delete")
@connected(writes=True)
def delete_package(
    group: Group,
    version: Version,
    where: Where = EVERYWHERE,
) -> None:
    """Delete a model version (refused while a model card documents it).

    Example: cardinal package delete customer-churn 3
    """
    with connect(where) as cn:
        cn.client.packages.delete(group, version)
    line(f"Deleted model package {group}/{version}.")
