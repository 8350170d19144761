"""Passwords of users who sign in to the web UI: stored only as argon2id hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cardinal.domain.errors import InvalidInput

MIN_LENGTH = 12
_HASHER = PasswordHasher()
# Checked when the user is unknown, so that an unknown name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("cardinal-dummy-password")


def check_password_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.", path="password")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
