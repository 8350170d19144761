"""Approval policies and decisions through the REST API: ``client.policies`` (read the policy
that holds globally or in a group, set a new version) and ``client.packages.decisions``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cardinal.client.http import Http
from cardinal.wire.approvals import PolicyRead


class Policies:
    """``client.policies``: the ``/policies`` resource."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def get(self, group: str | None = None) -> PolicyRead:
        """The policy that holds in ``group`` (its own, else the global one); NotFoundError
        when none holds."""
        params = {"group": group} if group else None
        return self._http.model(PolicyRead, "GET", "/policies", params=params)[0]

    def set(self, document: Mapping[str, Any], group: str | None = None) -> PolicyRead:
        """Set the next version of the global policy, or of ``group``'s (admin)."""
        params = {"group": group} if group else None
        return self._http.model(
            PolicyRead, "PUT", "/policies", json_body=dict(document), params=params
        )[0]
