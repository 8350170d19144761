"""The native REST API under ``/api/v1``: resource URLs, OpenAPI, problem details."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from cardinal import __version__
from cardinal.api.auth_mode import AuthMode
from cardinal.api.rest import problems
from cardinal.api.rest.authentication import Authenticate
from cardinal.api.rest.docs import add_docs
from cardinal.api.rest.openapi import publish_openapi
from cardinal.api.rest.routes import ROUTERS
from cardinal.api.rest.text_inputs import refuse_unstorable_text
from cardinal.config import Settings
from cardinal.services.container import Services


def create_rest_app(services: Services, settings: Settings, mode: AuthMode) -> FastAPI:
    app = FastAPI(
        title="Cardinal",
        version=__version__,
        summary="Model registry and model cards: groups, versions, cards and their evidence.",
        description="Text anywhere in a request (parameters, headers, and the keys and strings "
        "of a JSON body) must not hold a NUL character or a lone UTF-16 surrogate, which no "
        "backend stores faithfully: such a request is refused with 422.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_unstorable_text)],
    )
    app.state.services = services
    app.state.account_id = settings.account_id
    app.state.region = settings.region
    app.state.s3 = settings.s3 if settings.s3.configured else None
    app.state.auth_mode = mode
    app.add_middleware(Authenticate, identities=services.identities, mode=mode)
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    add_docs(app)
    publish_openapi(app)
    return app
