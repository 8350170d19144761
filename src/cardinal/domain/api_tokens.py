"""API tokens for REST and the CLI: ``crd_<lookup id>_<secret>``.

The prefix makes a leaked token recognisable (secret scanners, logs). The lookup id finds the
stored token without a scan; the secret is 256 random bits. Only the SHA-256 of the whole token
is stored: a token has far more entropy than a password, so a fast hash does not make guessing
feasible, and checking stays cheap on every request. Hashes are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

PREFIX = "crd_"
_ID_ALPHABET = string.ascii_letters + string.digits
_ID_LENGTH = 12
_TOKEN = re.compile(rf"{PREFIX}(?P<id>[A-Za-z0-9]{{{_ID_LENGTH}}})_[A-Za-z0-9_-]{{43}}")


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, to the one it is issued to
    lookup_id: str
    hash: str  # what is stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token() -> IssuedToken:
    lookup = "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))
    token = f"{PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
    return IssuedToken(token=token, lookup_id=lookup, hash=token_hash(token))


def lookup_id(token: str) -> str | None:
    """The lookup id of a well-formed token; None for anything else."""
    match = _TOKEN.fullmatch(token)
    return match["id"] if match else None


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)
