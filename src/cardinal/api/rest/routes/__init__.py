"""The REST API's routers, one per resource."""

from __future__ import annotations

from fastapi import APIRouter

from cardinal.api.rest.routes import cards

ROUTERS: list[APIRouter] = [cards.router]
