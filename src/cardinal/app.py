"""The composition root: builds the ASGI application from settings."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from cardinal import __version__
from cardinal.api.access_log import AccessLog
from cardinal.api.auth_mode import AuthMode
from cardinal.api.body_limit import BodyLimit
from cardinal.api.rest import problems
from cardinal.api.rest.app import create_rest_app
from cardinal.api.rest.routes.reports import UPLOAD_PATH
from cardinal.api.s3.endpoint import S3Door
from cardinal.api.sagemaker.endpoint import SageMakerEndpoint, body_too_large
from cardinal.api.sagemaker.input_validation import load_sagemaker_service_model
from cardinal.api.web.pages import WebUi
from cardinal.config import Settings
from cardinal.domain.identifiers import Scope
from cardinal.domain.report_kinds import MAX_REPORT_BYTES
from cardinal.services.container import Services
from cardinal.services.export_worker import ExportWorker
from cardinal.services.webhook_delivery import WebhookWorker


def create_app(
    settings: Settings, services: Services | None = None, *, local: bool = False
) -> Starlette:
    """The Cardinal server over ``services`` (by default, over the database and the object store
    for export artifacts that ``settings`` name). ``local``: the CLI's own application over a
    local store, reached by no network, where the operator acts unchecked."""
    services = services or Services.for_database(
        settings.resolved_database_url,
        settings.object_store(),
        settings.secret_box(),
        settings.destinations(),
    )
    mode = AuthMode.LOCAL if local else AuthMode.OPEN if settings.open_mode else AuthMode.ON
    sagemaker = SageMakerEndpoint(
        services, load_sagemaker_service_model(), settings.account_id, settings.region, mode
    )

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if not local:
            # Otherwise the first call of each kind would build what these build, 10-30 ms
            # slower (a one-off command of the CLI would pay for all and use little). Run in a
            # worker thread, as requests are, so that the thread hand-off is loaded too.
            await run_in_threadpool(_prepare, services, sagemaker)
        # What is loaded by now (the service model above all) lives as long as the process:
        # keeping it out of the collector's generations spares every full collection a walk
        # over it (60-80 ms pauses otherwise).
        gc.collect()
        gc.freeze()
        workers = [
            ExportWorker(services.export_jobs, poll_seconds=settings.export_poll_seconds)
            for _ in range(settings.export_workers)
        ]
        senders = [
            WebhookWorker(
                services.webhooks.dispatcher(account=settings.account_id, region=settings.region),
                poll_seconds=settings.webhook_poll_seconds,
            )
            for _ in range(0 if local else settings.webhook_workers)
        ]
        for worker in workers:
            worker.start()
        for sender in senders:
            sender.start()
        try:
            yield
        finally:  # also when the CLI's work inside ends with an error
            for sender in senders:
                sender.stop()
            for worker in workers:
                worker.stop()
            services.close()

    async def not_found(_: Request, __: Exception) -> Response:
        return problems.problem(404, "not-found", "Not found", "Nothing is at this URL.")

    # Each door reads at most its own limit of body, and refuses more in its own error format.
    sagemaker_limit = Middleware(
        BodyLimit, max_bytes=settings.max_sagemaker_body_bytes, refusal=body_too_large
    )
    rest_limit = Middleware(
        BodyLimit,
        max_bytes=settings.max_rest_body_bytes,
        refusal=problems.body_too_large,
        larger={UPLOAD_PATH: MAX_REPORT_BYTES},
    )
    web = WebUi(services, mode, Scope(settings.account_id, settings.region))
    s3 = S3Door(services, settings.account_id, settings.region, mode)
    return Starlette(
        exception_handlers={404: not_found},
        routes=[
            Route("/", sagemaker.handle, methods=["POST"], middleware=[sagemaker_limit]),
            *s3.routes(),
            *web.routes(),
            Route("/healthz", health, methods=["GET"]),
            Mount(
                "/api/v1", app=create_rest_app(services, settings, mode), middleware=[rest_limit]
            ),
        ],
        lifespan=lifespan,
        middleware=[Middleware(AccessLog)],
    )


def _prepare(services: Services, sagemaker: SageMakerEndpoint) -> None:
    services.prepare()
    sagemaker.prepare()


def app_from_environment() -> Starlette:
    """The server of one of several processes (`cardinal serve --workers N`): settings from the
    CARDINAL_* environment the parent process set, the schema already prepared by it."""
    from cardinal.log_setup import configure_logging

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
