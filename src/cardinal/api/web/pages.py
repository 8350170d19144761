"""The web UI's pages: server-rendered HTML over the same services as every door.

Each page only reads what it shows and hands each action (a decision, a status change) to a
service; a refusal is shown on the page in the service's own words. Lists are keyset pages: the
cursor is in the URL (``?next=``), nothing loads a whole collection.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from cardinal.api.web.account_pages import AccountPages
from cardinal.api.web.card_pages import CardPages
from cardinal.api.web.frame import HERE
from cardinal.api.web.registry_pages import RegistryPages


class WebUi(AccountPages, RegistryPages, CardPages):
    """Every page, by its path."""

    def routes(self) -> list[BaseRoute]:
        page = self._page
        return [
            Route("/", page(self._home), methods=["GET"]),
            Route("/login", self._login_form, methods=["GET"]),
            Route("/login", self._login, methods=["POST"]),
            Route("/logout", self._logout, methods=["POST"]),
            Route("/groups", page(self._groups), methods=["GET"]),
            Route("/groups/{group}", page(self._group), methods=["GET"]),
            Route("/groups/{group}/versions/{version:int}", page(self._version), methods=["GET"]),
            Route(
                "/groups/{group}/versions/{version:int}/decision",
                page(self._decide),
                methods=["POST"],
            ),
            Route(
                "/groups/{group}/versions/{version:int}/card",
                page(self._start_card),
                methods=["POST"],
            ),
            Route(
                "/groups/{group}/versions/{version:int}/evidence",
                page(self._evidence_pack),
                methods=["GET"],
            ),
            Route("/cards", page(self._cards), methods=["GET"]),
            Route("/cards/new", page(self._new_card_form), methods=["GET"]),
            Route("/cards/new", page(self._new_card), methods=["POST"]),
            Route("/cards/{name}", page(self._card), methods=["GET"]),
            Route("/cards/{name}/versions/{version:int}", page(self._card), methods=["GET"]),
            Route("/cards/{name}/diff", page(self._diff), methods=["GET"]),
            Route("/cards/{name}/chain", page(self._chain), methods=["GET"]),
            Route("/cards/{name}/history", page(self._history), methods=["GET"]),
            Route("/cards/{name}/edit", page(self._edit_form), methods=["GET"]),
            Route("/cards/{name}/edit", page(self._edit), methods=["POST"]),
            Route("/cards/{name}/export", page(self._export), methods=["GET"]),
            Route("/search", page(self._search), methods=["GET"]),
            Route("/cards/{name}/status", page(self._card_status), methods=["POST"]),
            Route("/cards/{name}/link", page(self._link_card), methods=["POST"]),
            Route("/audit", page(self._audit), methods=["GET"]),
            Route("/account", page(self._account), methods=["GET"]),
            Route("/account/tokens", page(self._new_token), methods=["POST"]),
            Route("/account/keys", page(self._new_key), methods=["POST"]),
            Route("/account/revoke", page(self._revoke), methods=["POST"]),
            Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        ]
