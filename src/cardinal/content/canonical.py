"""Canonical JSON (RFC 8785) and the SHA-256 hashes that make card history tamper-evident.

A card version's content hash is the SHA-256 of its content in canonical form, so two texts
that say the same thing (spacing, key order) hash alike. Each version's chain hash binds its
content hash to the chain hash of the version before it, so a card's versions form a hash
chain: editing any stored version breaks every link after it. Audit events are chained the same
way, one global chain in the order they were appended.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785


def canonical(document: Any) -> bytes:
    """The RFC 8785 form of a JSON-native document."""
    return rfc8785.dumps(document)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_sha256(content: str) -> str:
    """The hash of card content text, by its meaning rather than its spelling."""
    return sha256_hex(canonical(json.loads(content)))


def version_chain_sha256(
    resource_arn: str, version: int, content_hash: str, previous_hash: str | None
) -> str:
    """The chain hash of one version of a card (or of a model package's embedded card)."""
    return sha256_hex(
        canonical(
            {
                "resource": resource_arn,
                "version": version,
                "content_sha256": content_hash,
                "previous_sha256": previous_hash,
            }
        )
    )


@dataclass(frozen=True)
class VersionHashes:
    """The hashes a new version is stored with: its content's, and its link in the chain."""

    content_sha256: str
    previous_sha256: str | None
    chain_sha256: str

    def columns(self) -> dict[str, str | None]:
        return {
            "content_sha256": self.content_sha256,
            "previous_sha256": self.previous_sha256,
            "chain_sha256": self.chain_sha256,
        }


def version_hashes(
    resource_arn: str, version: int, content_hash: str, previous: str | None
) -> VersionHashes:
    """The hashes of version ``version`` of ``resource_arn`` whose content hashes to
    ``content_hash`` (:func:`content_sha256`), after the version whose chain hash is
    ``previous`` (None for the first)."""
    return VersionHashes(
        content_sha256=content_hash,
        previous_sha256=previous,
        chain_sha256=version_chain_sha256(resource_arn, version, content_hash, previous),
    )


def record_sha256(record: dict[str, Any]) -> str:
    """The hash of an audit record (which already names the hash before it)."""
    return sha256_hex(canonical(record))


def canonical_members(document: Mapping[str, Any]) -> dict[str, bytes]:
    """Each member of a JSON object, its value in RFC 8785 form: most of the work of
    :func:`canonical`, which can be done for the members known early and joined later with the
    rest by :func:`joined_sha256`."""
    return {key: canonical(value) for key, value in document.items()}


def joined_sha256(members: Mapping[str, bytes]) -> str:
    """The SHA-256 of the RFC 8785 form of the object whose members :func:`canonical_members`
    gave: the same hash as the whole object's."""
    keys = sorted(members, key=lambda key: key.encode("utf-16-be"))  # RFC 8785, section 3.2.3
    return sha256_hex(b"{" + b",".join(canonical(key) + b":" + members[key] for key in keys) + b"}")
