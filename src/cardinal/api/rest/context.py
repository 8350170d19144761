"""Who calls the REST API and where: the request context every route hands to the services."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Header, Request

from cardinal.api.access_log import note_actor
from cardinal.api.auth_mode import AuthMode
from cardinal.api.rest.authentication import PRINCIPAL
from cardinal.domain.errors import NotAuthenticated
from cardinal.domain.identifiers import REGION_PATTERN, Scope
from cardinal.domain.identities import Principal
from cardinal.services.container import Services
from cardinal.services.context import RequestContext


# Both are coroutines only so that FastAPI calls them on the event loop: it runs a plain
# function dependency in a worker thread, a hand-over that costs more than their work.
async def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def context(
    request: Request,
    x_cardinal_actor: Annotated[
        str | None,
        Header(
            max_length=256,
            description="Who acts, where nobody is authenticated (open mode); else ignored.",
        ),
    ] = None,
    x_cardinal_region: Annotated[
        str | None,
        Header(
            pattern=REGION_PATTERN,
            description="The region the request acts in; the server's region when absent.",
        ),
    ] = None,
) -> RequestContext:
    """The caller: the principal its token names (authentication on), else whoever
    ``X-Cardinal-Actor`` names (open mode, or the operator on a local store)."""
    scope = Scope(request.app.state.account_id, x_cardinal_region or request.app.state.region)
    request_id = str(uuid.uuid4())
    principal: Principal | None = request.scope.get("state", {}).get(PRINCIPAL)
    if principal is not None:
        note_actor(request.scope, principal.name)
        return RequestContext(scope, principal.name, request_id, principal)
    if request.app.state.auth_mode is AuthMode.ON:
        raise NotAuthenticated("The request was not authenticated.")
    note_actor(request.scope, x_cardinal_actor or "anonymous")
    return RequestContext(scope, x_cardinal_actor or "anonymous", request_id)


ServicesDep = Annotated[Services, Depends(services)]
ContextDep = Annotated[RequestContext, Depends(context)]
