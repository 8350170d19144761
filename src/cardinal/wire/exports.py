"""REST bodies of card exports: export jobs and the documents they write."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.export_jobs import OUTPUT_PATH_PATTERN, ExportJobStatus
from cardinal.wire.registry import EntityName

OutputPath = Annotated[
    str, StringConstraints(pattern=r"^(https|s3)://([^/]+)/?(.*)$", max_length=1024)
]


class ExportJobCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: EntityName = Field(description="The job's name, unique among the card's jobs.")
    output_path: OutputPath = Field(
        description="Where the document goes: s3://bucket/prefix (a directory under the data "
        "directory stands in for the bucket when no object store is configured). The pattern "
        "is the usual form; a port after the bucket is taken too.",
        json_schema_extra={"pattern": OUTPUT_PATH_PATTERN},
    )
    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None, description="The card version to export (default: the latest)."
    )
    format: DocumentFormat = DocumentFormat.PDF


class ExportJobRead(BaseModel):
    name: str
    arn: str
    card_name: str
    card_version: int
    format: DocumentFormat
    output_path: str
    status: ExportJobStatus
    artifact_uri: str | None
    failure_reason: str | None
    created_at: datetime
    created_by: str
    last_modified_at: datetime
