"""Who signed a request: its SigV4 signature verified against the access keys Cardinal issued.

Every door that takes signed requests (the SageMaker door, the S3 door) authenticates through
``signer_of``; each renders a refusal in its own error format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cardinal.api.signatures import SignatureRefused, SignedBy, verify_signature
from cardinal.domain.identities import Principal
from cardinal.services.container import Services
from cardinal.services.context import utcnow

__all__ = ["SignatureRefused", "signer_of"]


def signer_of(
    services: Services,
    scope: Mapping[str, Any],
    body: bytes,
    *,
    s3: bool = False,
    service: str | None = None,
) -> tuple[Principal, SignedBy]:
    """The principal whose active access key signed the request of the ASGI ``scope`` (its
    path and query as on the wire) with ``body``, and what the signature names; otherwise
    ``SignatureRefused`` saying why. ``s3`` and ``service`` as :func:`verify_signature` takes
    them. Reads one access key, and only once the request is otherwise well signed."""
    holders: dict[str, Principal] = {}

    def secret_for(access_key_id: str) -> str | None:
        found = services.identities.access_key(access_key_id)
        if found is None:
            return None
        holders[access_key_id] = found[0]
        return found[1]

    signed = verify_signature(
        method=str(scope["method"]),
        path=scope.get("raw_path", b"/").decode("latin-1"),
        query=scope.get("query_string", b""),
        headers=[
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]
        ],
        body=body,
        now=utcnow(),
        secret_for=secret_for,
        s3=s3,
        service=service,
    )
    return holders[signed.access_key_id], signed
