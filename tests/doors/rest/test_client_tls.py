"""The client verifies a TLS endpoint's certificate as httpx does (its CA bundle, or
``SSL_CERT_FILE``); a plain-HTTP endpoint is given a TLS context that trusts no certificate, so
loading the CA bundle is not paid for a connection that never uses it, and a TLS connection such
a client might make is refused rather than left unverified. A refused certificate's error says how
to trust a private CA."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import os
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cardinal.cli.exit_codes import EXIT_UNREACHABLE
from cardinal.client import CardinalClient, TransportError
from cardinal.client.http import tls_for
from tests.support.cli import CARDINAL


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = directory / "cert.pem"
    key_file = directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _Groups(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"items": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    cert_file, key_file = _self_signed(tmp_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Groups)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert_file
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_tls_endpoint_with_an_untrusted_certificate_is_refused(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = tls_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with CardinalClient(url) as client, pytest.raises(TransportError) as refused:
        list(client.groups.list())
    assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
    assert "SSL_CERT_FILE" in str(refused.value), "the refusal says how to trust a private CA"


def test_the_cli_says_how_to_trust_a_server_s_certificate(tls_server: tuple[str, Path]) -> None:
    url, cert_file = tls_server
    env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    refused = subprocess.run(
        [CARDINAL, "--endpoint", url, "group", "list"],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert refused.returncode == EXIT_UNREACHABLE, refused.stderr
    assert "certificate is not trusted" in refused.stderr, refused.stderr
    assert "SSL_CERT_FILE" in refused.stderr, refused.stderr
    trusted = subprocess.run(
        [CARDINAL, "--endpoint", url, "group", "list", "--output", "json"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**env, "SSL_CERT_FILE": str(cert_file)},
    )  # fmt: skip
    assert trusted.returncode == 0, trusted.stderr
    assert json.loads(trusted.stdout) == []


def test_a_tls_endpoint_whose_certificate_is_trusted_through_ssl_cert_file_answers(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert_file = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    with CardinalClient(url) as client:
        assert list(client.groups.list()) == []


@pytest.mark.parametrize("base", ["http://127.0.0.1:8080/api/v1", "HTTP://localhost/api/v1"])
def test_a_plain_http_endpoint_gets_a_tls_context_that_trusts_nothing(base: str) -> None:
    context = tls_for(base)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs() == []
    assert context.cert_store_stats()["x509_ca"] == 0


def test_a_tls_endpoint_is_verified_as_httpx_verifies_by_default() -> None:
    assert tls_for("https://registry.example/api/v1") is True
