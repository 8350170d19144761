"""`cardinal unversioned-package ...`: model packages that belong to no group (SageMaker's
unversioned model packages)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cardinal.cli.connection import connect
from cardinal.cli.errors import usage
from cardinal.cli.options import (
    EVERYWHERE,
    Limit,
    Output,
    OutputFormat,
    Where,
    connected,
    page_size,
    pairs,
)
from cardinal.cli.output import emit, fields, first, line, table
from cardinal.cli.packages import (
    NewSourceUri,
    NewStage,
    RemoveMetadata,
    SetMetadata,
    StageDescription,
    StageStatus,
    package_changes,
)
from cardinal.cli.terminal import when
from cardinal.wire.unversioned_packages import UnversionedPackageRead

unversioned_app = typer.Typer(
    help="Unversioned model packages (in no group): create, list, show, update, delete.",
    no_args_is_help=True,
)

Name = Annotated[str, typer.Argument(help="Name of the unversioned package.", show_default=False)]


def _show(package: UnversionedPackageRead) -> None:
    lifecycle = package.lifecycle
    spec = package.inference_specification or {}
    fields(
        [
            ("name", package.name),
            ("arn", package.arn),
            ("description", package.description),
            ("transform instances", ", ".join(spec.get("SupportedTransformInstanceTypes", []))),
            (
                "real-time instances",
                ", ".join(spec.get("SupportedRealtimeInferenceInstanceTypes", [])),
            ),
            ("marketplace", "certify" if package.certify_for_marketplace else None),
            ("metadata", package.customer_metadata),
            ("stage", f"{lifecycle.stage} ({lifecycle.stage_status})" if lifecycle else None),
            ("source uri", package.source_uri),
            ("created", f"{when(package.created_at)} by {package.created_by}"),
            (
                "modified",
                f"{when(package.last_modified_at)} by {package.last_modified_by}",
            ),
        ]
    )


def _specification(
    image: str | None,
    model_data_url: str | None,
    transform: list[str] | None,
    realtime: list[str] | None,
) -> dict[str, Any] | None:
    if image is None and model_data_url is None and not transform and not realtime:
        return None
    if image is None or not transform or not realtime:
        raise usage(
            "an inference specification needs --image, at least one --transform-instance-type "
            "and at least one --realtime-instance-type."
        )
    container = {"Image": image, "ModelDataUrl": model_data_url}
    return {
        "Containers": [{k: v for k, v in container.items() if v is not None}],
        "SupportedTransformInstanceTypes": transform,
        "SupportedRealtimeInferenceInstanceTypes": realtime,
    }


@unversioned_app.command("create")
@connected(writes=True)
def create_package(
    name: Name,
    description: Annotated[
        str | None, typer.Option(help="What the package is.", show_default=False)
    ] = None,
    image: Annotated[
        str | None, typer.Option(help="Inference container image.", show_default=False)
    ] = None,
    model_data_url: Annotated[
        str | None, typer.Option(help="S3 URL of the model artifacts.", show_default=False)
    ] = None,
    transform_instance_type: Annotated[
        list[str] | None,
        typer.Option(
            help="Instance type for transform jobs (repeat for more).", show_default=False
        ),
    ] = None,
    realtime_instance_type: Annotated[
        list[str] | None,
        typer.Option(
            help="Instance type for real-time inference (repeat for more).", show_default=False
        ),
    ] = None,
    certify_for_marketplace: Annotated[
        bool, typer.Option(help="Mark it for listing on AWS Marketplace.")
    ] = False,
    metadata: Annotated[
        list[str] | None,
        typer.Option(help="Customer metadata KEY=VALUE (repeat for more).", show_default=False),
    ] = None,
    source_uri: Annotated[
        str | None,
        typer.Option(
            help="Where the model came from; a model package's ARN copies its inference "
            "specification.",
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option(help="Tag KEY=VALUE (repeat for more).", show_default=False)
    ] = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Create a model package in no group. It has no approval status: to govern a model's
    approval, register it as a version of a group (cardinal package register).

    Example: cardinal unversioned-package create churn-market --image 1234.dkr.ecr.us-east-1.amazonaws.com/churn:1 --transform-instance-type ml.m5.large --realtime-instance-type ml.m5.large
    """
    spec = _specification(image, model_data_url, transform_instance_type, realtime_instance_type)
    with connect(where) as cn:
        package = cn.client.unversioned_packages.create(
            name,
            description=description,
            inference_specification=spec,
            certify_for_marketplace=certify_for_marketplace,
            customer_metadata=pairs(metadata, "--metadata") or None,
            source_uri=source_uri,
            tags=pairs(tag, "--tag") or None,
        )
    emit(package, output, lambda: line(f"Created unversioned model package {package.arn}."))


@unversioned_app.command("list")
@connected
def list_packages(
    name_contains: Annotated[
        str | None, typer.Option(help="Only names containing this.", show_default=False)
    ] = None,
    limit: Limit = 100,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """List unversioned packages, oldest first.

    Example: cardinal unversioned-package list --name-contains churn
    """
    with connect(where) as cn:
        found = cn.client.unversioned_packages.list(
            name_contains=name_contains, page_size=page_size(limit)
        )
        packages = first(found, limit)
    emit(
        packages,
        output,
        lambda: table(
            ["NAME", "DESCRIPTION", "STAGE", "CREATED", "CREATED BY"],
            [
                (
                    p.name,
                    p.description,
                    p.lifecycle.stage if p.lifecycle else None,
                    p.created_at,
                    p.created_by,
                )
                for p in packages
            ],
        ),
    )


@unversioned_app.command("show")
@connected
def show_package(
    name: Name, output: Output = OutputFormat.TABLE, where: Where = EVERYWHERE
) -> None:
    """Show one unversioned package.

    Example: cardinal unversioned-package show churn-market --output json
    """
    with connect(where) as cn:
        package = cn.client.unversioned_packages.get(name)
    emit(package, output, lambda: _show(package))


@unversioned_app.command("update")
@connected(writes=True)
def update_package(
    name: Name,
    metadata: SetMetadata = None,
    remove_metadata: RemoveMetadata = None,
    stage: NewStage = None,
    stage_status: StageStatus = None,
    stage_description: StageDescription = None,
    source_uri: NewSourceUri = None,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Change customer metadata, the lifecycle stage or the source URI of an unversioned package.

    Example: cardinal unversioned-package update churn-market --metadata owner=risk
    """
    changes = package_changes(
        metadata, remove_metadata, stage, stage_status, stage_description, source_uri
    )
    with connect(where) as cn:
        package = cn.client.unversioned_packages.update(name, **changes)
    emit(package, output, lambda: _show(package))


@unversioned_app.command("delete")
@connected(writes=True)
def delete_package(name: Name, where: Where = EVERYWHERE) -> None:
    """Delete an unversioned package and its tags (refused while a model card documents it).

    Example: cardinal unversioned-package delete churn-market
    """
    with connect(where) as cn:
        cn.client.unversioned_packages.delete(name)
    line(f"Deleted unversioned model package {name}.")
