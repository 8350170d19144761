"""CreateModelCardExportJob, DescribeModelCardExportJob, ListModelCardExportJobs."""

from __future__ import annotations

from typing import Any

from cardinal.api.sagemaker.call import Call, Handler, page_request, with_token
from cardinal.api.sagemaker.protocol import to_datetime
from cardinal.domain.export_jobs import ExportJob, ExportJobStatus


def _summary(job: ExportJob) -> dict[str, Any]:
    return {
        "ModelCardExportJobName": job.name,
        "ModelCardExportJobArn": job.arn,
        "Status": job.status.value,
        "ModelCardName": job.card_name,
        "ModelCardVersion": job.card_version,
        "CreatedAt": job.created_at,
        "LastModifiedAt": job.last_modified_at,
    }


def _description(job: ExportJob) -> dict[str, Any]:
    body = _summary(job)
    body["OutputConfig"] = {"S3OutputPath": job.output_path}
    if job.failure_reason:
        body["FailureReason"] = job.failure_reason
    if job.artifact_uri:
        body["ExportArtifacts"] = {"S3ExportArtifacts": job.artifact_uri}
    return body


def create_model_card_export_job(call: Call) -> dict[str, Any]:
    job = call.services.export_jobs.create_export_job(
        call.ctx,
        call.params["ModelCardName"],
        call.params["ModelCardExportJobName"],
        call.params["OutputConfig"]["S3OutputPath"],
        version=call.get("ModelCardVersion"),
    )
    return {"ModelCardExportJobArn": job.arn}


def describe_model_card_export_job(call: Call) -> dict[str, Any]:
    job = call.services.export_jobs.describe_export_job(
        call.ctx, call.params["ModelCardExportJobArn"]
    )
    return _description(job)


def list_model_card_export_jobs(call: Call) -> dict[str, Any]:
    status = call.get("StatusEquals")
    page = call.services.export_jobs.list_export_jobs(
        call.ctx,
        call.params["ModelCardName"],
        page_request(call, sort_by="CreationTime"),
        card_version=call.get("ModelCardVersion"),
        name_contains=call.get("ModelCardExportJobNameContains"),
        status=ExportJobStatus(status) if status else None,
        created_after=to_datetime(call.get("CreationTimeAfter")),
        created_before=to_datetime(call.get("CreationTimeBefore")),
        missing_card_is_empty=True,
    )
    body = {"ModelCardExportJobSummaries": [_summary(job) for job in page.items]}
    return with_token(body, page.next_token)


OPERATIONS: dict[str, Handler] = {
    "CreateModelCardExportJob": create_model_card_export_job,
    "DescribeModelCardExportJob": describe_model_card_export_job,
    "ListModelCardExportJobs": list_model_card_export_jobs,
}
