"""The SageMaker door: ``POST /`` with ``X-Amz-Target: SageMaker.<Operation>``.

Each request is authenticated first (its SigV4 signature verified against the access key
Cardinal issued, unless the server runs in open mode), then read (target, JSON body), checked
against botocore's service model, handed to its operation handler, and answered in AWS's JSON
and error format.
The handlers only translate; every rule lives in the services. All of it but reading the body
runs in one worker thread, never on the event loop: a body near the size limit takes a second
or more to check, and every other request would wait for it. One thread, not one for the
signature and one for the call: each hand-over to a thread costs about 0.1 ms of CPU.
"""

from __future__ import annotations

import logging
import uuid

from botocore.model import ServiceModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from cardinal.api.access_log import note_actor
from cardinal.api.auth_mode import AuthMode
from cardinal.api.sagemaker.call import Call, Handler
from cardinal.api.sagemaker.errors import aws_error, aws_message
from cardinal.api.sagemaker.input_validation import InputValidator, RequestInvalid
from cardinal.api.sagemaker.operations import OPERATIONS
from cardinal.api.sagemaker.protocol import (
    BODY_TOO_LARGE,
    CONTENT_TYPE,
    TARGET_PREFIX,
    ProtocolError,
    dump,
    error_body,
    read_body,
    read_credential,
)
from cardinal.api.signers import SignatureRefused, signer_of
from cardinal.domain.errors import CardinalError
from cardinal.domain.identifiers import Scope, is_region
from cardinal.domain.identities import Principal
from cardinal.services.container import Services
from cardinal.services.context import RequestContext

log = logging.getLogger(__name__)


class SageMakerEndpoint:
    """The endpoint serving the operations in OPERATIONS; `handle` is its Starlette route."""

    def __init__(
        self,
        services: Services,
        service_model: ServiceModel,
        account_id: str,
        region: str,
        mode: AuthMode = AuthMode.ON,
    ) -> None:
        self._services = services
        self._model = service_model
        self._validator = InputValidator(service_model)
        self._known = set(service_model.operation_names)
        self._account_id = account_id
        self._region = region
        self._mode = mode

    def prepare(self) -> None:
        """Build every served operation's input checker now: a server process does this before
        it takes requests, so no first call of an operation pays for it (about 20 ms for all)."""
        self._validator.prepare(OPERATIONS)

    async def handle(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        try:
            answer = await self._handle(request, request_id)
        except ProtocolError as error:
            return _error(error.code, error.message, error.status, request_id)
        except RequestInvalid as error:
            return _error(error.code, error.message, 400, request_id)
        except CardinalError as error:
            code, status = aws_error(error)
            return _error(code, aws_message(error), status, request_id)
        except Exception:
            log.exception("request %s failed", request_id)
            return _error(
                "InternalFailure",
                f"Cardinal failed to handle the request (request id {request_id}).",
                500,
                request_id,
            )
        return Response(answer, media_type=CONTENT_TYPE, headers={"x-amzn-RequestId": request_id})

    async def _handle(self, request: Request, request_id: str) -> bytes:
        raw = await request.body()
        return await run_in_threadpool(self._answer, request, raw, request_id)

    def _answer(self, request: Request, raw: bytes, request_id: str) -> bytes:
        if self._mode is AuthMode.ON:
            principal, region = self._authenticate(request, raw)
            actor: str = principal.name
        else:
            credential = read_credential(request.headers.get("authorization"))
            principal, region, actor = None, credential.region, credential.access_key_id
        note_actor(request.scope, actor)
        ctx = RequestContext(
            scope=Scope(self._account_id, region if is_region(region) else self._region),
            actor=actor,
            request_id=request_id,
            principal=principal,
        )
        target = request.headers.get("x-amz-target", "")
        operation = target[len(TARGET_PREFIX) :] if target.startswith(TARGET_PREFIX) else None
        if operation is None or operation not in self._known:
            raise ProtocolError(
                "UnknownOperationException", f"Unknown operation '{target or '(none)'}'."
            )
        handler = OPERATIONS.get(operation)
        if handler is None:
            raise ProtocolError(
                "UnsupportedOperation",
                f"Cardinal does not serve the SageMaker operation {operation}. It serves: "
                f"{', '.join(sorted(OPERATIONS))}.",
            )
        return self._call(operation, handler, raw, ctx)

    def _authenticate(self, request: Request, raw: bytes) -> tuple[Principal, str]:
        """The principal whose access key signed the request, and the region it signed for;
        ProtocolError with AWS's code when the signature does not hold."""
        try:
            principal, signed = signer_of(self._services, request.scope, raw)
        except SignatureRefused as refused:
            raise ProtocolError(refused.code, refused.message, refused.status) from None
        return principal, signed.region

    def _call(self, operation: str, handler: Handler, raw: bytes, ctx: RequestContext) -> bytes:
        params = read_body(raw)
        self._validator.validate(operation, params)
        return dump(handler(Call(ctx=ctx, services=self._services, params=params)))


def body_too_large(max_bytes: int) -> Response:
    """The answer to a request body over ``max_bytes``, as AWS services model it (HTTP 413)."""
    return _error(
        BODY_TOO_LARGE,
        f"The request body is larger than {max_bytes:,} bytes, the most this server accepts.",
        413,
        str(uuid.uuid4()),
    )


def _error(code: str, message: str, status: int, request_id: str) -> Response:
    return Response(
        error_body(code, message),
        status_code=status,
        media_type=CONTENT_TYPE,
        headers={"x-amzn-RequestId": request_id, "x-amzn-ErrorType": code},
    )
