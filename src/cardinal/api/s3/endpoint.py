"""The S3 door's one route: authenticate, find the operation, call the service, answer as S3.

Any operation other than GetObject and HeadObject is answered ``NotImplemented`` from the
method, path and query alone, before authentication and without reading the request body:
nothing stored is touched. A GetObject or HeadObject is authenticated first (SigV4 with the
credential scope's service ``s3``, by an access key Cardinal issued, unless the server runs in
open mode), then handed to the export artifact service, which checks the caller may read.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import UTC
from email.utils import format_datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cardinal.api.access_log import note_actor
from cardinal.api.auth_mode import AuthMode
from cardinal.api.s3.addressing import ObjectAddress, Unsupported, object_address
from cardinal.api.s3.errors import SIGNATURE_ERRORS, error_body, s3_error
from cardinal.api.s3.ranges import RangeNotSatisfiable, byte_range
from cardinal.api.signatures import read_credential
from cardinal.api.signers import SignatureRefused, signer_of
from cardinal.domain.errors import CardinalError
from cardinal.domain.identifiers import Scope, is_region
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.export_artifacts import ExportArtifact

log = logging.getLogger(__name__)

PREFIX = "/s3"
SERVICE = "s3"
_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]
_XML = "application/xml"


class S3Door:
    def __init__(
        self, services: Services, account_id: str, region: str, mode: AuthMode = AuthMode.ON
    ) -> None:
        self._services = services
        self._account_id = account_id
        self._region = region
        self._mode = mode

    def routes(self) -> list[Route]:
        return [
            Route(PREFIX, self.handle, methods=_METHODS),
            Route(PREFIX + "/{rest:path}", self.handle, methods=_METHODS),
        ]

    async def handle(self, request: Request) -> Response:
        request_id = uuid.uuid4().hex[:16].upper()
        path = str(request.scope["path"]).removeprefix(PREFIX)
        head = request.method == "HEAD"
        try:
            address = object_address(request.method, path, request.url.query)
        except Unsupported as unsupported:
            refusal = _error("NotImplemented", str(unsupported), 501, path, request_id, head)
            return _unread_body_closes(request, refusal)
        if _has_body(request):
            message = "GetObject and HeadObject requests carry no body."
            refusal = _error("InvalidRequest", message, 400, path, request_id, head)
            return _unread_body_closes(request, refusal)
        try:
            artifact = await run_in_threadpool(self._read, request, request_id, address)
            return _object(request, artifact, request_id)
        except SignatureRefused as refused:
            code, status = SIGNATURE_ERRORS[refused.reason]
            return _error(code, refused.message, status, path, request_id, head)
        except CardinalError as error:
            code, status = s3_error(error)
            return _error(code, error.message, status, path, request_id, head)
        except RangeNotSatisfiable:
            message = "The requested range is not satisfiable."
            return _error("InvalidRange", message, 416, path, request_id, head)
        except Exception:
            log.exception("request %s failed", request_id)
            message = f"Cardinal failed to handle the request (request id {request_id})."
            return _error("InternalError", message, 500, path, request_id, head)

    def _read(self, request: Request, request_id: str, address: ObjectAddress) -> ExportArtifact:
        """The object, read for the caller; in one worker thread with the signature's check."""
        ctx = self._context(request, request_id)
        note_actor(request.scope, ctx.actor)
        return self._services.export_artifacts.read_export_artifact(
            ctx, address.bucket, address.key
        )

    def _context(self, request: Request, request_id: str) -> RequestContext:
        """Who asks, and in which account and region; SignatureRefused when the request is not
        validly signed (in open mode: when it names no access key)."""
        if self._mode is AuthMode.ON:
            principal, signed = signer_of(
                self._services, request.scope, b"", s3=True, service=SERVICE
            )
            actor, region, checked = principal.name, signed.region, principal
        else:
            named = read_credential(request.headers.get("authorization"))
            actor, region, checked = named.access_key_id, named.region, None
        scope = Scope(self._account_id, region if is_region(region) else self._region)
        return RequestContext(scope, actor, request_id, checked)


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or (length is not None and length != "0")


def _unread_body_closes(request: Request, response: Response) -> Response:
    """A request answered without reading its body ends its connection: the client may not
    have sent the body (it waits for ``100 Continue``), so the server cannot skip past it."""
    if _has_body(request):
        response.headers["connection"] = "close"
    return response


def _object(request: Request, artifact: ExportArtifact, request_id: str) -> Response:
    data = artifact.data
    headers = {
        "etag": f'"{hashlib.md5(data, usedforsecurity=False).hexdigest()}"',
        "last-modified": format_datetime(artifact.last_modified.astimezone(UTC), usegmt=True),
        "accept-ranges": "bytes",
        "x-amz-request-id": request_id,
    }
    status = 200
    chosen = byte_range(request.headers.get("range"), len(data))
    if chosen is not None:
        first, last = chosen
        headers["content-range"] = f"bytes {first}-{last}/{len(data)}"
        data, status = data[first : last + 1], 206
    headers["content-length"] = str(len(data))
    body = b"" if request.method == "HEAD" else data
    return Response(body, status_code=status, headers=headers, media_type=artifact.media_type)


def _error(
    code: str, message: str, status: int, resource: str, request_id: str, head: bool
) -> Response:
    """S3's XML error; a HEAD answer carries only the status and headers, as S3's does."""
    body = b"" if head else error_body(code, message, resource, request_id)
    headers = {"x-amz-request-id": request_id}
    if head:
        headers["x-amz-error-code"] = code
    return Response(body, status_code=status, headers=headers, media_type=_XML)
