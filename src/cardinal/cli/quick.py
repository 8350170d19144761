"""The ``cardinal`` program's entry point, and what it answers without loading the full command
line: ``--version``, ``--help`` (and ``cardinal`` alone), and ``cardinal gate GROUP/VERSION``
against a server, the check a deployment pipeline runs on every deploy.

These answers take a fraction of the full command line's start (its framework, Rich, pydantic
and httpx), and they are the same answers: the help is :mod:`cardinal.cli.overview` in both, and
a gate's lines come from :mod:`cardinal.cli.gate_report` over the same JSON, sent with the same
headers (:mod:`cardinal.wire.caller`) and the same token (:mod:`cardinal.cli.credentials`).

A gate is answered here only in its plain form (a ``group/version``, optionally ``--output``
table or json, ``--endpoint``, ``--region``) and only when the server answers 200. Anything
else (another option, an ARN, a local store, an HTTP proxy in the environment, a refusal, no
answer) is left to the full command line, which sends the request again: a gate only reads,
and its errors, messages and exit codes then have one implementation.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ssl

from cardinal import __version__
from cardinal.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE

_PACKAGE = re.compile(r"([A-Za-z0-9](?:-*[A-Za-z0-9]){0,62})/([1-9][0-9]{0,9})")
_VALUED = {"--endpoint": "endpoint", "--region": "region", "--output": "output", "-o": "output"}
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def main() -> None:
    code = answer(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from cardinal.cli.main import main as full

    try:
        full()
    finally:
        # The process ends next. Its last garbage collections would walk every object the
        # command loaded (Typer, pydantic's validators, Rich), about 35 ms, to free what the
        # end of the process frees anyway; frozen objects are left out of them.
        gc.freeze()


def answer(args: Sequence[str]) -> int | None:
    """The exit code once answered here; None: the full command line answers."""
    if list(args) == ["--version"]:
        sys.stdout.write(f"{__version__}\n")
        return EXIT_OK
    if not args or list(args) == ["--help"]:
        from cardinal.cli.overview import render

        sys.stdout.write(render())
        return EXIT_OK if args else EXIT_USAGE
    return _gate(args)


def _gate(args: Sequence[str]) -> int | None:
    given: dict[str, str] = {}
    positional: list[str] = []
    index = 0
    while index < len(args):
        token = args[index]
        name, equals, value = token.partition("=")
        if name in _VALUED:
            if not equals:
                index += 1
                if index == len(args):
                    return None
                value = args[index]
            if _VALUED[name] in given:
                return None
            given[_VALUED[name]] = value
        elif token.startswith("-"):
            return None
        else:
            positional.append(token)
        index += 1
    if len(positional) != 2 or positional[0] != "gate":
        return None
    found = _PACKAGE.fullmatch(positional[1])
    output = given.get("output", "table").lower()
    endpoint = given.get("endpoint") or os.environ.get("CARDINAL_ENDPOINT") or None
    if found is None or output not in ("table", "json") or endpoint is None:
        return None
    if not endpoint.lower().startswith(("http://", "https://")) or _proxied():
        return None
    group, version = found.group(1), int(found.group(2))
    gate = _read_gate(endpoint, group, version, given.get("region"))
    if gate is None:
        return None
    if output == "json":
        sys.stdout.write(json.dumps(gate, indent=2, ensure_ascii=False) + "\n")
    else:
        from cardinal.cli.gate_report import gate_lines
        from cardinal.cli.terminal import write_line

        for text in gate_lines(gate, f"{group}/{version}"):
            write_line(text)
    return EXIT_OK if gate.get("open") is True else EXIT_FAILED


def _proxied() -> bool:
    return any(os.environ.get(v) or os.environ.get(v.upper()) for v in _PROXY_VARIABLES)


def _tls_context() -> ssl.SSLContext:
    """The certificates httpx (the full command line's client) trusts: ``SSL_CERT_FILE``,
    else ``SSL_CERT_DIR``, else certifi's."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _read_gate(
    endpoint: str, group: str, version: int, region: str | None
) -> dict[str, Any] | None:
    """The gate's answer as JSON; None on anything but a 200 with a JSON object."""
    import http.client
    import urllib.parse

    from cardinal.cli.credentials import local_actor, token_for
    from cardinal.wire.caller import TIMEOUT_SECONDS, api_base, caller_headers

    try:
        token = token_for(endpoint)
    except Exception:  # an unreadable credentials file: the full command line says so
        return None
    url = urllib.parse.urlsplit(api_base(endpoint))
    if url.query or url.fragment or "@" in url.netloc:
        return None
    path = f"{url.path}/groups/{urllib.parse.quote(group)}/versions/{version}/gate"
    headers = caller_headers(token=token, actor=local_actor(), region=region)
    try:
        if url.scheme.lower() == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                url.netloc, timeout=TIMEOUT_SECONDS, context=_tls_context()
            )
        else:
            connection = http.client.HTTPConnection(url.netloc, timeout=TIMEOUT_SECONDS)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            return None
        found = json.loads(body)
    except (OSError, ValueError, http.client.HTTPException):
        return None
    return found if isinstance(found, dict) else None
