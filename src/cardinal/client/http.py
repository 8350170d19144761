"""The one HTTP layer of :mod:`cardinal.client`: a reused ``httpx.Client`` under ``/api/v1``,
the caller's headers (``Authorization: Bearer`` with a token, else ``X-Cardinal-Actor`` naming
the actor where nobody is checked) and the region, and the single place where transport errors,
problem details and unreadable answers become :mod:`cardinal.client.errors`. Responses are
parsed into the REST API's own pydantic models, and list endpoints are walked lazily, page by
page, through their ``next`` links.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from cardinal.client.errors import TransportError, UnexpectedResponseError, api_error
from cardinal.wire.caller import api_base, caller_headers

M = TypeVar("M", bound=BaseModel)

Params = Mapping[str, str | int | None]


def _clean(params: Params | None) -> dict[str, str | int]:
    return {k: v for k, v in (params or {}).items() if v is not None}


def present(**members: Any) -> dict[str, Any]:
    """The members of a request body that were given (not None)."""
    return {k: v for k, v in members.items() if v is not None}


def value(item: object) -> str:
    """An enum member or a string as the API spells it."""
    found = getattr(item, "value", item)
    return str(found)


def tls_for(base: str) -> ssl.SSLContext | bool:
    """How a client for ``base`` verifies TLS: as httpx does by default (its CA bundle, or
    ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``) for an https endpoint. httpx loads the CA bundle when a
    client is made (about 20 ms), used or not; a plain-HTTP endpoint's client never speaks TLS
    (redirects are not followed), so it gets a context that trusts no certificate: a TLS
    connection it made would be refused, never left unverified."""
    if base[:7].lower() == "http://":
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return True


def _unanswered(method: str, path: str, error: httpx.HTTPError) -> TransportError:
    message = f"{method} {path}: {type(error).__name__}: {error}"
    cause: BaseException | None = error
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            message += (
                ". The server's certificate is not trusted: if a private CA signed it, set "
                "SSL_CERT_FILE (or SSL_CERT_DIR) to that CA's certificate."
            )
            break
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return TransportError(message)


class Http:
    """Requests against one Cardinal server; every error leaves as a CardinalClientError."""

    def __init__(
        self,
        endpoint: str,
        *,
        actor: str | None,
        region: str | None,
        timeout: float,
        transport: httpx.BaseTransport | None,
        token: str | None = None,
    ) -> None:
        base = api_base(endpoint)
        headers = caller_headers(token=token, actor=actor, region=region)
        try:
            self._client = httpx.Client(
                base_url=base,
                headers=headers,
                timeout=timeout,
                transport=transport,
                verify=tls_for(base),
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise TransportError(f"Cannot use endpoint '{endpoint}': {error}") from error

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        params: Params | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> httpx.Response:
        """Send one request; a 4xx/5xx answer raises the ApiError of its status. ``content`` is
        a body sent as it is (give its Content-Type in ``headers``)."""
        sent = {k: v for k, v in (headers or {}).items() if v is not None}
        try:
            response = self._client.request(
                method,
                path,
                json=json_body,
                content=content,
                params=_clean(params),
                headers=sent,
            )
        except httpx.HTTPError as error:
            raise _unanswered(method, path, error) from error
        except httpx.InvalidURL as error:
            raise TransportError(f"{method} {path}: {error}") from error
        if response.is_success:
            return response
        raise api_error(response.status_code, _problem(response))

    def model(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        params: Params | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> tuple[M, httpx.Response]:
        """Send one request and parse its body as ``model``."""
        response = self.request(
            method, path, json_body=json_body, content=content, params=params, headers=headers
        )
        return parse(model, response), response

    def lines(self, model: type[M], method: str, path: str) -> Iterator[M]:
        """Send one request for an NDJSON answer and parse each line as ``model`` as it
        arrives."""
        try:
            with self._client.stream(
                method, path, headers={"Accept": "application/x-ndjson"}
            ) as response:
                if not response.is_success:
                    response.read()
                    raise api_error(response.status_code, _problem(response))
                for text in response.iter_lines():
                    if text.strip():
                        yield _line(model, response, text)
        except httpx.HTTPError as error:
            raise _unanswered(method, path, error) from error

    def page(
        self, item: type[M], path: str, params: Params | None = None
    ) -> tuple[list[M], str | None]:
        """One page of a list: its items and the token of the next page (None on the last)."""
        adapter = TypeAdapter(list[item])  # type: ignore[valid-type]
        response = self.request("GET", path, params=params)
        body = _json(response)
        if not isinstance(body, dict):
            raise UnexpectedResponseError(f"GET {path}: a page must be a JSON object.")
        try:
            items: list[M] = adapter.validate_python(body.get("items"))
        except ValidationError as error:
            raise UnexpectedResponseError(f"GET {path}: {error}") from error
        link = body.get("next")
        if not link:
            return items, None
        token = httpx.URL(str(link)).params.get("next")
        if not token:
            raise UnexpectedResponseError(f"GET {path}: next link '{link}' has no token.")
        return items, token

    def pages(self, item: type[M], path: str, params: Params | None = None) -> Iterator[M]:
        """Every item of a paged list, following ``next`` links as the iteration goes."""
        query = _clean(params)
        while True:
            items, token = self.page(item, path, query)
            yield from items
            if token is None:
                return
            query = {**query, "next": token}


def parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate(_json(response))
    except ValidationError as error:
        raise UnexpectedResponseError(
            f"{response.request.method} {response.request.url.path}: "
            f"not a {model.__name__}: {error}"
        ) from error


def _line(model: type[M], response: httpx.Response, text: str) -> M:
    try:
        return model.model_validate_json(text)
    except ValidationError as error:
        raise UnexpectedResponseError(
            f"{response.request.method} {response.request.url.path}: "
            f"a line that is not a {model.__name__}: {error}"
        ) from error


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UnexpectedResponseError(
            f"{response.request.method} {response.request.url.path}: "
            f"answer {response.status_code} is not JSON."
        ) from error


def _problem(response: httpx.Response) -> dict[str, Any]:
    """The problem details of an error answer, or a stand-in when the body is something else."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and "status" in body:
        return body
    return {
        "type": "about:blank",
        "title": response.reason_phrase or f"HTTP {response.status_code}",
        "status": response.status_code,
        "detail": response.text[:1000] or response.reason_phrase,
    }
