"""The API tokens `cardinal login` keeps for the CLI, one per server, and the token a command
sends: ``CARDINAL_TOKEN`` if set, else the one kept for that server; without one, the command
names the local user (:func:`local_actor`).

They are kept in ``$XDG_CONFIG_HOME/cardinal/credentials.json`` (default
``~/.config/cardinal/``) as ``{"endpoints": {URL: {"token": ...}}}``, in a directory only its
owner may enter and a file only its owner may read. The file is replaced whole, never rewritten
in place, so a reader sees the old or the new file and the token is never in a file of wider
mode, even for a moment.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
from pathlib import Path
from typing import Any

TOKEN_ENV = "CARDINAL_TOKEN"


def credentials_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "cardinal" / "credentials.json"


def _key(endpoint: str) -> str:
    return endpoint.rstrip("/")


def _unusable(message: str) -> Exception:
    from cardinal.cli.errors import usage_error  # loaded only when there is one to report

    return usage_error(message)


def _read(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"endpoints": {}}
    except (OSError, ValueError) as error:
        raise _unusable(f"cannot read {path}: {error}") from None
    if not isinstance(found, dict) or not isinstance(found.get("endpoints"), dict):
        raise _unusable(f"{path} is not a Cardinal credentials file; remove it, then log in")
    return found


def stored_token(endpoint: str) -> str | None:
    """The token `cardinal login` kept for ``endpoint``, if any."""
    path = credentials_file()
    if not path.exists():
        return None
    entry = _read(path)["endpoints"].get(_key(endpoint))
    token = entry.get("token") if isinstance(entry, dict) else None
    return token if isinstance(token, str) and token else None


def local_actor() -> str:
    """Who a command names as its actor where no token is sent (a server in open mode, the
    local store): the local user."""
    return f"local:{getpass.getuser()}"


def token_for(endpoint: str) -> str | None:
    """The token a command sends to ``endpoint``: ``CARDINAL_TOKEN``, else the kept one."""
    return os.environ.get(TOKEN_ENV) or stored_token(endpoint)


def store_token(endpoint: str, token: str) -> Path:
    """Keep ``token`` for ``endpoint`` (replacing the one kept before); the file's path."""
    path = credentials_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    known = _read(path)
    known["endpoints"][_key(endpoint)] = {"token": token}
    _write(path, known)
    return path


def forget_token(endpoint: str) -> bool:
    """Remove the token kept for ``endpoint``; False if none was kept. The file goes with the
    last token."""
    path = credentials_file()
    if not path.exists():
        return False
    known = _read(path)
    if known["endpoints"].pop(_key(endpoint), None) is None:
        return False
    if known["endpoints"]:
        _write(path, known)
    else:
        path.unlink()
    return True


def _write(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
