"""How a server knows its callers, one mode for every door."""

from __future__ import annotations

from enum import StrEnum


class AuthMode(StrEnum):
    ON = "on"  # every request proves who sends it: a token (REST) or a SigV4 signature
    OPEN = "open"  # CARDINAL_AUTH=off, loopback only: callers name themselves, nothing is checked
    LOCAL = "local"  # the CLI's own application over a local store: the operator, unchecked
