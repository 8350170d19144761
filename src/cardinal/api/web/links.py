"""Where a resource named by its ARN is shown in the web UI, and a short name to show for it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from cardinal.domain.identifiers import parse_arn


@dataclass(frozen=True)
class Link:
    label: str
    href: str | None


def resource_link(arn: str) -> Link:
    """The page of the card, version or group ``arn`` names; other resources (users, tokens,
    policies, export jobs) have no page of their own and keep their ARN as the label."""
    parsed = parse_arn(arn)
    if parsed is None:
        return Link(arn, None)
    if parsed.kind == "model-card":
        return Link(parsed.resource, f"/cards/{quote(parsed.resource, safe='')}")
    if parsed.kind == "model-package-group":
        return Link(parsed.resource, f"/groups/{quote(parsed.resource, safe='')}")
    if parsed.kind == "model-package":
        group, _, version = parsed.resource.partition("/")
        if version.isdigit():
            return Link(parsed.resource, f"/groups/{quote(group, safe='')}/versions/{version}")
    return Link(arn, None)
