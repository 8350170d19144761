"""The client's downloads keep only a bare file name from what a server suggests, whatever the
server sends (the server here is a hostile stand-in, not Cardinal)."""

from __future__ import annotations

import httpx
import pytest

from cardinal.client import CardinalClient


def _client(disposition: str | None) -> CardinalClient:
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "application/pdf"}
        if disposition is not None:
            headers["Content-Disposition"] = disposition
        return httpx.Response(200, content=b"%PDF-", headers=headers)

    return CardinalClient("http://cardinal.test", transport=httpx.MockTransport(answer))


@pytest.mark.parametrize(
    ("disposition", "file_name"),
    [
        ('attachment; filename="churn-v2.pdf"', "churn-v2.pdf"),
        ('attachment; filename="../../etc/cron.d/x"', "x"),
        ('attachment; filename="/tmp/elsewhere.pdf"', "elsewhere.pdf"),
        ('attachment; filename="..\\\\..\\\\win.pdf"', "win.pdf"),
        ('attachment; filename=".."', "churn.pdf"),
        ("attachment", "churn.pdf"),
        (None, "churn.pdf"),
    ],
)
def test_a_suggested_name_is_only_ever_a_bare_name(disposition: str | None, file_name: str) -> None:
    with _client(disposition) as client:
        document = client.exports.render("churn", "pdf")
    assert document.file_name == file_name
    assert document.data == b"%PDF-"
