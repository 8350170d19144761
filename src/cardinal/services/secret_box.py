"""Secrets Cardinal must be able to read back (SigV4 secret keys), sealed with the server's key.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``): a sealed secret can be neither read
nor altered without the key, which lives outside the database (``CARDINAL_SECRET_KEY`` or the key
file in the data directory), so a copy of the database alone gives no usable secret.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from cryptography.fernet import Fernet, InvalidToken


class SecretBox:
    """Seals with ``key``, or with what ``key()`` answers when first needed (a key file is
    read, or made, only by a process that seals or opens a secret)."""

    def __init__(self, key: bytes | Callable[[], bytes]) -> None:
        self._key = key

    @cached_property
    def _fernet(self) -> Fernet:
        return Fernet(self._key if isinstance(self._key, bytes) else self._key())

    @staticmethod
    def new_key() -> bytes:
        return Fernet.generate_key()

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str | None:
        """The secret, or None when it was sealed with another key or altered."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            return None
