"""Settings, read from CARDINAL_* environment variables and overridden by command-line flags."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cardinal.domain.identifiers import is_region
from cardinal.domain.webhooks import Destinations

if TYPE_CHECKING:
    from cardinal.content.report_sources import S3Settings
    from cardinal.services.secret_box import SecretBox
    from cardinal.store.objects import ObjectStore

DEFAULT_PORT = 8765


class Settings(BaseSettings):
    """How one Cardinal server runs.

    ``database_url`` defaults to a SQLite file under ``data_dir``; ``region`` is used for
    requests that carry no SigV4 credential scope. The ``s3_*`` settings
    (``CARDINAL_S3_ENDPOINT_URL``, ``CARDINAL_S3_ACCESS_KEY_ID``,
    ``CARDINAL_S3_SECRET_ACCESS_KEY``, ``CARDINAL_S3_REGION``) name the S3-compatible store that
    export jobs write to and evaluation reports are read from; an empty value counts as unset,
    and what is unset is left to botocore's usual sources (``AWS_*`` variables, ``~/.aws``).
    """

    model_config = SettingsConfigDict(env_prefix="CARDINAL_", extra="ignore")

    # "off": open mode, where callers name themselves and may do anything (loopback only).
    auth: Literal["on", "off"] = "on"
    # The key access keys' secrets are sealed with (a Fernet key); unset, the key file
    # <data_dir>/secret.key, made on first need. Servers sharing a database share this key.
    secret_key: SecretStr | None = None

    data_dir: Path = Path.home() / ".local" / "share" / "cardinal"
    database_url: str | None = None
    account_id: str = "000000000000"
    region: str = "us-east-1"
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    log_level: str = "info"
    # "json": one JSON object a line (access-log lines carry method, path, status, duration_ms
    # and actor as fields); "text": one readable line.
    log_format: Literal["text", "json"] = "text"
    # Where export jobs write when no S3-compatible store is configured (default: <data_dir>/exports).
    export_dir: Path | None = None
    # Background export workers in this process (0: this server runs no export jobs).
    export_workers: int = 1
    export_poll_seconds: float = 1.0
    # Where webhooks may be sent: host names, *.domain patterns, IP addresses or CIDR ranges,
    # comma-separated (unset: nowhere). See docs/events.md.
    webhook_destinations: str | None = None
    # Background webhook workers in this process (0: this server delivers none).
    webhook_workers: int = 1
    webhook_poll_seconds: float = 1.0
    s3_endpoint_url: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_region: str | None = None
    # The largest request body each door reads, in bytes; see docs/sagemaker-compatibility.md.
    # SageMaker: a card's 100,000 characters of content, which botocore sends escaped inside a
    # JSON string (up to 12 bytes a character), take up to 1.2 MB of a request. REST measures
    # content in its escaped form, so its largest legitimate request is a few hundred KB.
    max_sagemaker_body_bytes: int = 4 * 1024 * 1024
    max_rest_body_bytes: int = 1024 * 1024

    @field_validator("account_id")
    @classmethod
    def _twelve_digits(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9]{12}", value):
            raise ValueError("CARDINAL_ACCOUNT_ID must be 12 digits, as an AWS account id is")
        return value

    @field_validator("region")
    @classmethod
    def _region_form(cls, value: str) -> str:
        if not is_region(value):
            raise ValueError("CARDINAL_REGION must look like an AWS region, e.g. us-east-1")
        return value

    @field_validator(
        "s3_endpoint_url", "s3_access_key_id", "s3_secret_access_key", "s3_region", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("max_sagemaker_body_bytes", "max_rest_body_bytes")
    @classmethod
    def _positive(cls, value: int, info: ValidationInfo) -> int:
        if value < 1:
            raise ValueError(f"CARDINAL_{str(info.field_name).upper()} must be at least 1")
        return value

    @field_validator("auth", mode="before")
    @classmethod
    def _auth_words(cls, value: object) -> object:
        if isinstance(value, str) and value.lower() not in ("on", "off"):
            raise ValueError("CARDINAL_AUTH is on (the default) or off (open mode)")
        return value.lower() if isinstance(value, str) else value

    @field_validator("secret_key", mode="before")
    @classmethod
    def _fernet_key(cls, value: object) -> object:
        if value in (None, ""):
            return None
        if isinstance(value, str) and not _is_fernet_key(value):
            raise ValueError(
                "CARDINAL_SECRET_KEY must be 32 random bytes in URL-safe base64 (44 characters), "
                "e.g. from: python3 -c 'import base64,os; print(base64.urlsafe_b64encode("
                "os.urandom(32)).decode())'"
            )
        return value

    def destinations(self) -> Destinations:
        """Where webhooks may be sent (``webhook_destinations``)."""
        return Destinations.parse(self.webhook_destinations)

    @property
    def open_mode(self) -> bool:
        return self.auth == "off"

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret.key"

    def as_environment(self) -> dict[str, str]:
        """The settings `cardinal serve` takes as options, as the CARDINAL_* variables that give
        another process (one of `--workers N`) the same ones."""
        return {
            "CARDINAL_DATA_DIR": str(self.data_dir),
            "CARDINAL_DATABASE_URL": self.resolved_database_url,
            "CARDINAL_ACCOUNT_ID": self.account_id,
            "CARDINAL_REGION": self.region,
            "CARDINAL_HOST": self.host,
            "CARDINAL_PORT": str(self.port),
        }

    def secret_box(self) -> SecretBox:
        """What seals access keys' secrets: ``secret_key``, else the key file."""
        from cardinal.services.secret_box import SecretBox

        if self.secret_key is not None:
            return SecretBox(self.secret_key.get_secret_value().encode("ascii"))
        return SecretBox(lambda: _key_file(self.secret_key_file))

    @property
    def resolved_export_dir(self) -> Path:
        return self.export_dir or self.data_dir / "exports"

    @property
    def s3(self) -> S3Settings:
        """The ``s3_*`` settings, as the S3 client takes them."""
        from cardinal.content.report_sources import S3Settings

        secret = self.s3_secret_access_key
        return S3Settings(
            endpoint_url=self.s3_endpoint_url,
            access_key_id=self.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret is not None else None,
            region=self.s3_region,
        )

    def object_store(self) -> ObjectStore:
        """Where export jobs write: the S3-compatible store the ``s3_*`` settings name, if they
        name an endpoint or credentials, else :attr:`resolved_export_dir`."""
        from cardinal.store.objects import object_store

        return object_store(self.resolved_export_dir, self.s3)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'cardinal.db').resolve()}"


def _is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32 and len(value) == 44
    except (ValueError, UnicodeEncodeError):
        return False


def _key_file(path: Path) -> bytes:
    """The key in ``path``, made (readable by its owner only) if there is none yet."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as out:
        out.write(base64.urlsafe_b64encode(os.urandom(32)))
    return path.read_bytes().strip()
