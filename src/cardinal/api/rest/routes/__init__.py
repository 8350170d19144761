"""The REST API's routers, one per resource."""

from __future__ import annotations

from fastapi import APIRouter

from cardinal.api.rest.routes import approvals as approval_routes
from cardinal.api.rest.routes import audit as audit_routes
from cardinal.api.rest.routes import cards, gate, groups, packages
from cardinal.api.rest.routes import evidence as evidence_routes
from cardinal.api.rest.routes import exports as export_routes
from cardinal.api.rest.routes import identities as identity_routes
from cardinal.api.rest.routes import reports as report_routes
from cardinal.api.rest.routes import search as search_routes
from cardinal.api.rest.routes import tags as tag_routes
from cardinal.api.rest.routes import unversioned_packages as unversioned_package_routes
from cardinal.api.rest.routes import webhooks as webhook_routes

ROUTERS: list[APIRouter] = [
    cards.router,
    groups.router,
    packages.router,
    unversioned_package_routes.router,
    gate.router,
    tag_routes.router,
    search_routes.router,
    audit_routes.router,
    evidence_routes.router,
    report_routes.router,
    export_routes.router,
    identity_routes.router,
    approval_routes.router,
    webhook_routes.router,
]
