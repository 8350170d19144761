"""How a client of the REST API reaches it and names its caller: the path prefix, the default
timeout, and the headers of every request (an API token, else the actor where nobody is
checked, and the region when given)."""

from __future__ import annotations

from cardinal import __version__

API_PREFIX = "/api/v1"
TIMEOUT_SECONDS = 30.0


def api_base(endpoint: str) -> str:
    """The URL of the REST API on the server at ``endpoint``."""
    base = endpoint.rstrip("/")
    return base if base.endswith(API_PREFIX) else base + API_PREFIX


def caller_headers(*, token: str | None, actor: str | None, region: str | None) -> dict[str, str]:
    headers = {"User-Agent": f"cardinal-client/{__version__}", "Accept": "application/json"}
    if token is not None:
        # The token names the caller; a name beside it would only be ignored.
        headers["Authorization"] = f"Bearer {token}"
    elif actor is not None:
        headers["X-Cardinal-Actor"] = actor
    if region is not None:
        headers["X-Cardinal-Region"] = region
    return headers
