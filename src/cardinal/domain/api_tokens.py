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
SESSION_PREFIX = "crs_"
_ID_ALPHABET = string.ascii_letters + string.digits
_ID_LENGTH = 12
_TOKEN = re.compile(
    rf"(?P<prefix>crd_|crs_)(?P<id>[A-Za-z0-9]{{{_ID_LENGTH}}})_[A-Za-z0-9_-]{{43}}"
)


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, to the one it is issued to
    lookup_id: str
    hash: str  # what is stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(prefix: str = PREFIX) -> IssuedToken:
    """A new API token, or with :data:`SESSION_PREFIX` a web session's token."""
    lookup = "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))
    token = f"{prefix}{lookup}_{secrets.token_urlsafe(32)}"
    return IssuedToken(token=token, lookup_id=lookup, hash=token_hash(token))


def lookup_id(token: str, prefix: str = PREFIX) -> str | None:
    """The lookup id of a well-formed token of ``prefix``; None for anything else."""
    match = _TOKEN.fullmatch(token)
    return match["id"] if match and match["prefix"] == prefix else None


def csrf_token(session_token: str) -> str:
    """The CSRF token of a web session: derived from the session's secret, so a page can carry
    it in its forms and no one without the session cookie can compute it."""
    return hmac.new(session_token.encode(), b"cardinal-csrf", hashlib.sha256).hexdigest()


def csrf_matches(session_token: str, given: str) -> bool:
    return hmac.compare_digest(csrf_token(session_token), given)


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)
