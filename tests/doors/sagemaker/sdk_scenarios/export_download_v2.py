"""Export a demo card to PDF with the SDK v2, then download the PDF from the S3 URI the export
job reports, with boto3's S3 client, as AWS's model card notebook does; against Cardinal.

Run by tests/doors/sagemaker/test_sdk_export_download.py with the interpreter of .venvs/sdk-v2,
against a server started as the demo is (authentication on, the demo author's access key).
The S3 client reaches Cardinal's S3 door through ``AWS_ENDPOINT_URL_S3``, as the README shows.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import _scenario

_scenario.start()

import boto3  # noqa: E402  (after the network guard is in place)
import sagemaker  # noqa: E402
from sagemaker.model_card import ModelCard  # noqa: E402

os.environ["AWS_ENDPOINT_URL_S3"] = os.environ["AWS_ENDPOINT_URL_SAGEMAKER"] + "/s3"

session = sagemaker.Session(boto_session=boto3.Session())
card = ModelCard.load(name="customer-churn-v1", sagemaker_session=session)
pdf_s3_url = card.export_pdf(s3_output_path="s3://audits/demo")

parsed = urlparse(pdf_s3_url)
file_name = Path(parsed.path).name
s3 = boto3.client("s3")
s3.download_file(Filename=file_name, Bucket=parsed.netloc, Key=parsed.path.lstrip("/"))
downloaded = Path(file_name).read_bytes()

observed: dict[str, Any] = {
    "artifact": pdf_s3_url,
    "file": str(Path(file_name).resolve()),
    "sha256": hashlib.sha256(downloaded).hexdigest(),
    "s3_operations": _scenario.operations("s3"),
}
_scenario.finish(observed)
