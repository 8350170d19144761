"""Shared by the SDK scenario scripts: a loopback-only network, a log of API calls, the output.

The scripts run inside an SDK virtual environment (not Cardinal's), so this module may only use
the standard library and botocore, which every SDK brings.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
from typing import Any

import botocore.client
import botocore.exceptions

# What every story writes into its cards; the pytest side checks the server holds the same.
BUSINESS = {
    "business_problem": "Customers cancel their subscription without warning",
    "business_stakeholders": "Retention team",
    "line_of_business": "Subscriptions",
}
USES = {
    "purpose_of_model": "Rank customers by churn risk",
    "intended_uses": "Weekly retention campaign targeting",
    "factors_affecting_model_efficiency": "Seasonality",
    "risk_rating": "Medium",
    "explanations_for_risk_rating": "Wrong scores only change who gets an offer",
}
INFO = {
    "ethical_considerations": "No protected attributes are used as features",
    "caveats_and_recommendations": "Retrain quarterly",
    "custom_details": {"owner_team": "retention-ds"},
}
CARRIED_SECTIONS = ("business_details", "intended_uses", "additional_information")

blocked: list[str] = []
calls: list[dict[str, Any]] = []


def _is_loopback(host: object) -> bool:
    if host in ("localhost", None):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def _guard_network() -> None:
    """Refuse every connection and name lookup that is not for this machine."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
            blocked.append(f"connect {address!r}")
            raise ConnectionRefusedError(f"scenario network guard: {address!r} is not loopback")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            blocked.append(f"resolve {host!r}")
            raise socket.gaierror(f"scenario network guard: {host!r} is not loopback")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo


def _record_calls() -> None:
    """Log every AWS API call any client makes: service, operation, error code."""
    real = botocore.client.BaseClient._make_api_call

    def make_api_call(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        call: dict[str, Any] = {
            "service": self.meta.service_model.service_name,
            "operation": operation_name,
        }
        calls.append(call)
        try:
            return real(self, operation_name, api_params)
        except botocore.exceptions.ClientError as error:
            call["error"] = error.response.get("Error", {}).get("Code")
            raise

    botocore.client.BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]


def start() -> None:
    """Call first, before the SDK makes any client."""
    _guard_network()
    _record_calls()


def operations(service: str = "sagemaker") -> list[str]:
    return [c["operation"] for c in calls if c["service"] == service]


def finish(observations: dict[str, Any]) -> None:
    """Print the observations as the last line of stdout."""
    observations = {**observations, "calls": calls, "blocked": blocked}
    sys.stdout.write(json.dumps(observations, default=str) + "\n")
    sys.stdout.flush()
