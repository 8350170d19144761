"""Where webhooks may be sent: only where an admin allowed, never to link-local addresses
unless named, checked again at the address a delivery connects to."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from cardinal.domain.webhooks import RETRY_DELAYS, Destinations, next_attempt
from cardinal.services.webhook_delivery import checked_client


@pytest.mark.parametrize(
    ("allowed", "url", "refusal"),
    [
        ("", "http://127.0.0.1/x", "No webhook destination is allowed on this server"),
        ("127.0.0.1", "http://127.0.0.1:8080/x", None),
        ("10.0.0.0/8", "https://10.1.2.3/x", None),
        ("10.0.0.0/8", "https://11.1.2.3/x", "not among the allowed webhook destinations"),
        ("*", "http://169.254.169.254/latest/", "link-local"),
        ("0.0.0.0/0", "http://169.254.169.254/latest/", "link-local"),
        ("169.254.169.254", "http://169.254.169.254/latest/", None),
        ("hooks.example.com", "https://hooks.example.com/a", None),
        ("*.example.com", "https://ci.example.com/a", None),
        ("*.example.com", "https://example.org/a", "not among the allowed webhook destinations"),
        ("hooks.example.com", "https://HOOKS.example.com/a", None),
        ("127.0.0.1", "file:///etc/passwd", "not an http or https URL"),
        ("127.0.0.1", "http://a:b@127.0.0.1/", "no user name or password"),
        ("[::1]", "http://[::1]:9/x", None),
        ("::1", "http://[fe80::1]/x", "link-local"),
        ("[::1]", "http://[::1/x", "not an http or https URL"),
        ("[::1]", "http://[:::1]/x", "not an http or https URL"),
        ("127.0.0.1", "http://127.0.0.1:/x", "is not a webhook URL"),
        ("127.0.0.1", "http://127.0.0.1/\u00e9", "is not a webhook URL"),
    ],
)
def test_a_subscription_url_is_allowed_only_as_an_admin_said(
    allowed: str, url: str, refusal: str | None
) -> None:
    found = Destinations.parse(allowed.strip("[]")).refuses_url(url)
    if refusal is None:
        assert found is None
    else:
        assert found is not None
        assert refusal in found


def test_an_allowed_name_may_not_resolve_to_a_link_local_address() -> None:
    names = Destinations.parse("hooks.example.com")
    assert names.refuses_address(ipaddress.ip_address("10.9.8.7"), by_name=True) is None
    refusal = names.refuses_address(ipaddress.ip_address("169.254.169.254"), by_name=True)
    assert refusal is not None
    assert "link-local" in refusal


@pytest.fixture
def listening() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_address[1]}/"
    http.shutdown()
    http.server_close()


def test_the_connected_address_is_checked_whatever_the_url_says(listening: str) -> None:
    with checked_client(Destinations.parse("127.0.0.1")) as allowed:
        assert allowed.post(listening, content=b"{}").status_code == 204
    with (
        checked_client(Destinations.parse("127.0.0.2")) as other,
        pytest.raises(httpx.ConnectError, match="not among the allowed"),
    ):
        other.post(listening, content=b"{}")
    # An allowed name connects to what it resolves to (checked for link-local addresses).
    with checked_client(Destinations.parse("localhost")) as by_name:
        assert (
            by_name.post(listening.replace("127.0.0.1", "localhost"), content=b"{}").status_code
            == 204
        )


def test_failed_deliveries_are_tried_again_for_about_a_day() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    total = sum((d.total_seconds() for d in RETRY_DELAYS), 0.0)
    assert 20 * 3600 < total < 30 * 3600
    first = next_attempt(1, now)
    assert first is not None
    assert 4 <= (first - now).total_seconds() <= 6
    assert next_attempt(len(RETRY_DELAYS) + 1, now) is None
