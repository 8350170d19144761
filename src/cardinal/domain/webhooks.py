"""Webhooks: subscriptions to audit events, where they may be sent, what is sent, and when a
failed delivery is tried again.

Nothing is sent anywhere an admin has not allowed: a subscription's URL must name a host the
server's allowed destinations list (``CARDINAL_WEBHOOK_DESTINATIONS``: host names, ``*.`` domain
patterns, IP addresses or CIDR ranges). Link-local addresses (cloud metadata services among
them) are refused unless an IP or CIDR entry names them explicitly, and the address a delivery
connects to is checked again when it connects, so a name that resolves elsewhere later is
refused too.
"""

from __future__ import annotations

import base64
import fnmatch
import ipaddress
import random
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from cardinal.domain.audit import AuditEvent
from cardinal.domain.errors import InvalidInput

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Refused unless an IP or CIDR entry of the allowed destinations contains the address.
_LINK_LOCAL = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),
    ipaddress.ip_network("100.100.100.200/32"),
)

# After the first attempt fails: about a day of attempts, each delay with up to 20% jitter.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)

MAX_SUBSCRIPTION_PATTERNS = 20
MAX_URL_LENGTH = 2048


def _ipv6_address() -> str:
    """RFC 3986's ``IPv6address``, the form Python's ``ipaddress`` reads."""
    h16 = "[0-9A-Fa-f]{1,4}"
    octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
    ls32 = f"(?:{h16}:{h16}|{octet}(?:\\.{octet}){{3}})"

    def before(most: int) -> str:
        return f"(?:(?:{h16}:){{0,{most}}}{h16})?" if most >= 0 else ""

    forms = [
        f"(?:{h16}:){{6}}{ls32}",
        f"::(?:{h16}:){{5}}{ls32}",
        f"{before(0)}::(?:{h16}:){{4}}{ls32}",
        f"{before(1)}::(?:{h16}:){{3}}{ls32}",
        f"{before(2)}::(?:{h16}:){{2}}{ls32}",
        f"{before(3)}::{h16}:{ls32}",
        f"{before(4)}::{ls32}",
        f"{before(5)}::{h16}",
        f"{before(6)}::",
    ]
    return "(?:" + "|".join(forms) + ")"


# The form of a subscription's URL: http or https, a host (an RFC 3986 registered name, an IPv4
# address, or an IPv6 address in brackets) and a port, then any path, query and fragment of
# printable ASCII. No user name or password: the signature authenticates.
WEBHOOK_URL_PATTERN = (
    "^[Hh][Tt][Tt][Pp][Ss]?://"
    f"(?:[A-Za-z0-9._~!$&'()*+,;=%-]+|\\[{_ipv6_address()}\\])"
    "(?::[0-9]{1,5})?"
    "(?:[/?#][\\x21-\\x7e]*)?$"
)
_WEBHOOK_URL = re.compile(WEBHOOK_URL_PATTERN)


def url_form_refusal(url: str) -> str | None:
    """Why ``url`` does not have the form of a subscription's URL (None: it does)."""
    if len(url) > MAX_URL_LENGTH:
        return f"A webhook URL has at most {MAX_URL_LENGTH} characters."
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        parts, hostname = None, None
    if parts is None or parts.scheme not in ("http", "https") or not hostname:
        return f"'{url}' is not an http or https URL."
    if parts.username is not None or parts.password is not None:
        return "A webhook URL carries no user name or password: the signature authenticates."
    if _WEBHOOK_URL.fullmatch(url) is None:
        return (
            f"'{url}' is not a webhook URL: http(s)://host[:port] and a path of printable ASCII "
            "(no spaces; percent-encode the rest), where the host is a DNS name, an IPv4 "
            "address or an IPv6 address in brackets."
        )
    return None


# After a rotation the previous secret signs too (a second ``v1,`` signature), so receivers can
# switch secrets without dropping a delivery; for at most a week.
PREVIOUS_SECRET_KEPT = timedelta(hours=24)
MAX_PREVIOUS_SECRET_KEPT = timedelta(days=7)


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: ``whsec_`` and 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def check_previous_kept(kept: timedelta) -> timedelta:
    """How long a rotated-out secret keeps signing: zero (at once) up to a week."""
    if kept < timedelta(0) or kept > MAX_PREVIOUS_SECRET_KEPT:
        raise InvalidInput(
            "The previous secret can be kept for 0 to 168 hours after a rotation "
            f"(0: it stops signing at once); {kept.total_seconds() / 3600:g} hours was asked."
        )
    return kept


class DeliveryStatus(StrEnum):
    PENDING = "Pending"
    DELIVERED = "Delivered"
    FAILED = "Failed"
    """Every attempt failed, or the subscription was disabled: redeliver to try again."""


@dataclass(frozen=True)
class Destinations:
    """The destinations an admin allowed."""

    names: tuple[str, ...] = ()
    networks: tuple[IpNetwork, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Destinations:
        names: list[str] = []
        networks: list[IpNetwork] = []
        for entry in (part.strip().lower() for part in (text or "").split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.append(entry)
        return cls(tuple(names), tuple(networks))

    @property
    def empty(self) -> bool:
        return not self.names and not self.networks

    def refuses_url(self, url: str) -> str | None:
        """Why ``url`` may not be a subscription's (None: it may): its form, or where it
        leads."""
        return url_form_refusal(url) or self.refuses_destination(url)

    def refuses_destination(self, url: str) -> str | None:
        """Why the host of ``url``, a URL of the right form (:func:`url_form_refusal`), is not
        among the allowed destinations (None: it is)."""
        host = (urlsplit(url).hostname or "").lower()
        if self.empty:
            return (
                "No webhook destination is allowed on this server: an admin names the allowed "
                "hosts in CARDINAL_WEBHOOK_DESTINATIONS (host names, *.domain patterns, IP "
                "addresses or CIDR ranges)."
            )
        try:
            address: IpAddress | None = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None:
            return self.refuses_address(address)
        if not any(host == name or fnmatch.fnmatchcase(host, name) for name in self.names):
            return (
                f"'{host}' is not among the allowed webhook destinations "
                "(CARDINAL_WEBHOOK_DESTINATIONS)."
            )
        return None

    def refuses_address(self, address: IpAddress, *, by_name: bool = False) -> str | None:
        """Why a delivery may not connect to ``address`` (None: it may). ``by_name``: the
        address is what an allowed host name resolved to."""
        named = any(address in network for network in self.networks)
        # A wide range (0.0.0.0/0, say) that happens to contain a link-local address does not
        # name it: only an entry within link-local space does.
        explicit = any(
            address in network and _within_link_local(network) for network in self.networks
        )
        if any(address in network for network in _LINK_LOCAL) and not explicit:
            return (
                f"{address} is a link-local address (where cloud metadata services answer); "
                "only an IP or CIDR entry of CARDINAL_WEBHOOK_DESTINATIONS within link-local "
                "space allows it."
            )
        if named or by_name:
            return None
        return (
            f"{address} is not among the allowed webhook destinations "
            "(CARDINAL_WEBHOOK_DESTINATIONS)."
        )


def _within_link_local(network: IpNetwork) -> bool:
    return any(
        network.version == space.version and network.subnet_of(space)  # type: ignore[arg-type]
        for space in _LINK_LOCAL
    )


def check_patterns(patterns: Sequence[str]) -> tuple[str, ...]:
    """The event patterns of a subscription: globs over audit actions (``model-package:*``,
    ``*``)."""
    found = tuple(dict.fromkeys(p.strip() for p in patterns if p.strip()))
    if not found:
        raise InvalidInput("A subscription names at least one event pattern, e.g. '*'.")
    if len(found) > MAX_SUBSCRIPTION_PATTERNS:
        raise InvalidInput(f"A subscription has at most {MAX_SUBSCRIPTION_PATTERNS} patterns.")
    for pattern in found:
        if len(pattern) > 64 or any(c.isspace() for c in pattern):
            raise InvalidInput(f"'{pattern}' is not an event pattern like 'model-package:*'.")
    return found


def matches(patterns: Sequence[str], groups: Sequence[str], event: AuditEvent) -> bool:
    """Whether a subscription with these patterns (and groups; empty: every group) wants it."""
    if not any(fnmatch.fnmatchcase(event.action.value, p) for p in patterns):
        return False
    if not groups:
        return True
    return event_group(event) in groups


def event_group(event: AuditEvent) -> str | None:
    """The group an event is about, when its resource belongs to one."""
    resource = event.resource_arn.split(":", 5)[-1]
    kind, _, rest = resource.partition("/")
    if kind == "model-package-group" or (kind == "model-package" and "/" in rest):
        return rest.split("/")[0]
    if kind == "model-package":
        return None  # an unversioned package belongs to no group
    arn = (event.after or event.before or {}).get("model_package_arn")
    if isinstance(arn, str) and "model-package/" in arn:
        return arn.split("model-package/", 1)[1].split("/")[0]
    return None


_DETAIL_TYPES = {
    "model-package": "SageMaker Model Package State Change",
    "model-card": "SageMaker Model Card State Change",
}


def envelope(event: AuditEvent, account: str, region: str) -> dict[str, Any]:
    """The event as an EventBridge event: SageMaker's detail-type where SageMaker defines one,
    Cardinal's own otherwise, with the audit event's fields in ``detail``."""
    kind = event.action.value.split(":", 1)[0]
    state = {**(event.after or {})}
    detail: dict[str, Any] = {
        "Action": event.action.value,
        "ResourceArn": event.resource_arn,
        "Actor": event.actor,
        "AuditSeq": event.seq,
        "AuditSha256": event.hash,
        "Before": event.before,
        "After": event.after,
    }
    if kind == "model-package":
        group_version = event.resource_arn.split("model-package/", 1)[-1]
        group, versioned, version = group_version.partition("/")
        detail.update(
            {
                "ModelPackageArn": event.resource_arn,
                "ModelPackageName": group_version,
                "ModelPackageGroupName": group if versioned else None,
                "ModelPackageVersion": int(version) if version.isdigit() else None,
                "ModelApprovalStatus": state.get("approval_status"),
            }
        )
    elif kind == "model-card":
        detail.update(
            {
                "ModelCardArn": event.resource_arn,
                "ModelCardName": event.resource_arn.split("model-card/", 1)[-1],
                "ModelCardVersion": state.get("version"),
                "ModelCardStatus": state.get("status"),
            }
        )
    return {
        "version": "0",
        "id": f"cardinal-{event.seq}",
        "detail-type": _DETAIL_TYPES.get(kind, f"Cardinal {kind} change"),
        "source": "aws.sagemaker" if kind in _DETAIL_TYPES else "cardinal",
        "account": account,
        "time": event.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [event.resource_arn],
        "detail": detail,
    }


def next_attempt(attempts: int, now: datetime, rng: random.Random | None = None) -> datetime | None:
    """When to try again after ``attempts`` failed attempts; None when the tries are spent."""
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts - 1]
    jitter = (rng or random.Random()).uniform(0.8, 1.2)
    return now + delay * jitter
