"""Export artifacts as stored objects: which object key may be the artifact of which export job.

An export job writes its document at ``<prefix>/<card>/<job>/<file>`` under its output path
(:meth:`~cardinal.domain.export_jobs.OutputLocation.key_for`). Card and job names hold no ``/``,
so a key names at most one card and job: its third-last and second-last segments. Whether the
key *is* that job's artifact is for the job's record to say (the URI it reported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardinal.domain.errors import NotFound
from cardinal.domain.identifiers import ENTITY_NAME

_NAME = re.compile(ENTITY_NAME)


class NoSuchBucket(NotFound):
    """The bucket holds no export artifact: nothing was ever exported into it."""


@dataclass(frozen=True)
class ArtifactKey:
    """The card and export job an object key would be the artifact of."""

    card_name: str
    job_name: str
    file_name: str


def artifact_key(key: str) -> ArtifactKey | None:
    """The card and job ``key`` would belong to; None when it has not the form of an artifact's
    key (so it is no export job's artifact)."""
    parts = key.split("/")
    if len(parts) < 3:
        return None
    card_name, job_name, file_name = parts[-3:]
    if not (_NAME.fullmatch(card_name) and _NAME.fullmatch(job_name) and file_name):
        return None
    return ArtifactKey(card_name, job_name, file_name)
