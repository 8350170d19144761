"""Who calls the REST API and where: the request context every route hands to the services."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Header, Request

from cardinal.domain.errors import InvalidInput
from cardinal.domain.identifiers import Scope, is_region
from cardinal.services.container import Services
from cardinal.services.context import RequestContext


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def context(
    request: Request,
    x_cardinal_actor: Annotated[str | None, Header(max_length=256)] = None,
    x_cardinal_region: Annotated[str | None, Header()] = None,
) -> RequestContext:
    """The actor names itself in ``X-Cardinal-Actor`` until Cardinal issues tokens."""
    region = x_cardinal_region or request.app.state.region
    if not is_region(region):
        raise InvalidInput(
            f"X-Cardinal-Region '{region}' is not a region.", path="X-Cardinal-Region"
        )
    return RequestContext(
        scope=Scope(request.app.state.account_id, region),
        actor=x_cardinal_actor or "anonymous",
        request_id=str(uuid.uuid4()),
    )


ServicesDep = Annotated[Services, Depends(services)]
ContextDep = Annotated[RequestContext, Depends(context)]
