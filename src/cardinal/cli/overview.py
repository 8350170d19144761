"""What `cardinal --help` shows: the program's description, its options and its commands with
their summaries. It is plain data and a small renderer, so that the help is printed without
loading the command line's framework (:mod:`cardinal.cli.quick`), and it is the same text when
the full command line prints it (``cardinal`` alone); :mod:`cardinal.cli.main` builds its
commands from :data:`COMMANDS` and its options' help from :data:`OPTION_HELP`."""

from __future__ import annotations

import os
import sys
import textwrap
from typing import NamedTuple

DESCRIPTION = (
    "Cardinal: a self-hosted model registry with model cards that speaks the SageMaker API.",
    "Every command but serve and db talks to a server (--endpoint or CARDINAL_ENDPOINT) or "
    "else opens the local store (--data-dir, --database-url, or their CARDINAL_* defaults; "
    "with none of them, ~/.local/share/cardinal/cardinal.db, which only a command that writes "
    "creates).",
    "The connection options (--endpoint, --data-dir, --database-url, --region) go before the "
    "command or after it. Run `cardinal COMMAND --help` for each command's options.",
    "Exit codes: 0 success, 1 a check failed (the gate is closed, verification found a "
    "break, an export job failed), 2 usage error, 3 not found, 4 refused (invalid input, a "
    "rule, changed meanwhile), 5 server unreachable or failing (also: no local store yet for a "
    "command that reads, a database that cannot be opened, a port serve cannot listen on).",
)

OPTION_HELP = {
    "version": "Show the version.",
    "endpoint": "A Cardinal server to talk to, e.g. http://127.0.0.1:8765 "
    "(default CARDINAL_ENDPOINT; without either, the local store is opened).",
    "data_dir": "Local store: directory of the SQLite file (default CARDINAL_DATA_DIR).",
    "database_url": "Local store: SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db "
    "(default CARDINAL_DATABASE_URL, else SQLite in the data dir).",
    "region": "Region the command acts in (default CARDINAL_REGION).",
    "install_completion": "Install completion for the current shell.",
    "show_completion": "Show completion for the current shell, to copy it or customize the "
    "installation.",
    "help": "Show this message and exit.",
}


class Option(NamedTuple):
    name: str
    """The parameter's name, a key of :data:`OPTION_HELP`."""
    flags: str
    value: str
    """What the option takes ('' for a flag)."""


OPTIONS = (
    Option("version", "--version", ""),
    Option("endpoint", "--endpoint", "URL"),
    Option("data_dir", "--data-dir", "PATH"),
    Option("database_url", "--database-url, --database", "URL"),
    Option("region", "--region", "TEXT"),
    Option("install_completion", "--install-completion", ""),
    Option("show_completion", "--show-completion", ""),
    Option("help", "--help", ""),
)


class Command(NamedTuple):
    name: str
    summary: str
    module: str | None = None
    """Where a command loaded when it runs lives (None: defined in :mod:`cardinal.cli.main`)."""
    attribute: str | None = None


COMMANDS = (
    Command(
        "group",
        "Model package groups: create, list, show, delete.",
        "cardinal.cli.groups",
        "group_app",
    ),
    Command(
        "package",
        "Model package versions: register, list, show, approve, reject, update, delete.",
        "cardinal.cli.packages",
        "package_app",
    ),
    Command(
        "unversioned-package",
        "Unversioned model packages (in no group): create, list, show, update, delete.",
        "cardinal.cli.unversioned_packages",
        "unversioned_app",
    ),
    Command(
        "card",
        "Model cards: create, show, edit, history, diff, status, restore, clone, attach "
        "reports, export.",
        "cardinal.cli.card",
        "card_app",
    ),
    Command(
        "tag",
        "Tags of a group, a model version or a model card: list, set, remove.",
        "cardinal.cli.tags",
        "tag_app",
    ),
    Command(
        "policy",
        "Approval policies: who may approve, how many must, what a card needs first.",
        "cardinal.cli.policy",
        "policy_app",
    ),
    Command(
        "search",
        "Search model cards, model package versions or groups with a filter.",
        "cardinal.cli.search",
        "search_command",
    ),
    Command(
        "gate",
        "Gate a deployment: exit 0 only if the version is Approved and its card is Approved.",
        "cardinal.cli.gate",
        "gate_command",
    ),
    Command(
        "history",
        "The timeline of a model version: its registration, approvals and updates, and the "
        "changes of the cards that documented it, oldest first.",
        "cardinal.cli.history",
        "history_command",
    ),
    Command(
        "audit",
        "List audit events: who changed what, when, with the before and after.",
        "cardinal.cli.audit",
        "audit_command",
    ),
    Command(
        "verify",
        "Verify that no stored card version or audit event was altered, and that every "
        "resource is stored as its audit trail says.",
        "cardinal.cli.verify",
        "verify_command",
    ),
    Command(
        "evidence",
        "Evidence packs: what was true of a model version at a moment, checkable offline.",
        "cardinal.cli.evidence_pack",
        "evidence_app",
    ),
    Command(
        "webhooks",
        "Webhooks: send every audit event (or those matching patterns) to a URL, signed.",
        "cardinal.cli.webhooks",
        "webhooks_app",
    ),
    Command(
        "users",
        "Users and service accounts: create, list, show, disable, enable, grant, revoke, "
        "set-password.",
        "cardinal.cli.identities",
        "users_app",
    ),
    Command(
        "keys",
        "SigV4 access keys of a user (boto3, the SageMaker SDKs): create, list, revoke.",
        "cardinal.cli.credential_commands",
        "keys_app",
    ),
    Command(
        "tokens",
        "API tokens of a user (the REST API, this CLI): create, list, revoke.",
        "cardinal.cli.credential_commands",
        "tokens_app",
    ),
    Command(
        "whoami",
        "Show who the server takes you for, and your grants.",
        "cardinal.cli.identities",
        "whoami_command",
    ),
    Command(
        "login",
        "Keep an API token for a server: asked with hidden input (or read from stdin), "
        "checked with the server, and stored for that endpoint in "
        "~/.config/cardinal/credentials.json (readable by you only). CARDINAL_TOKEN, when "
        "set, is sent instead.",
        "cardinal.cli.identities",
        "login_command",
    ),
    Command(
        "logout",
        "Forget the API token kept for a server (the token itself stays valid: "
        "`cardinal tokens revoke` ends it).",
        "cardinal.cli.identities",
        "logout_command",
    ),
    Command(
        "serve",
        "Start the server. An SQLite database is migrated on start; an empty PostgreSQL "
        "database gets the schema, an outdated one needs `cardinal db upgrade` (or --upgrade).",
    ),
    Command("db", "Manage the database schema (local only)."),
)

USAGE = "cardinal [OPTIONS] COMMAND [ARGS]..."


def width() -> int:
    """The terminal's width (``COLUMNS`` first), 80 when the output is not a terminal."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        try:
            columns = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 80
    return max(columns, 40)


def _panel(title: str, rows: list[tuple[str, str]], columns: int) -> list[str]:
    inner = columns - 4
    left = max(len(name) for name, _ in rows) + 2
    wrap = max(inner - left, 20)
    lines = [f"╭─ {title} " + "─" * max(columns - len(title) - 5, 0) + "╮"]
    for name, text in rows:
        pieces = textwrap.wrap(text, wrap) or [""]
        for index, piece in enumerate(pieces):
            cell = (name if index == 0 else "").ljust(left) + piece
            lines.append(f"│ {cell.ljust(inner)} │")
    lines.append("╰" + "─" * (columns - 2) + "╯")
    return lines


def render(columns: int | None = None) -> str:
    """The whole help, ``columns`` wide (default: :func:`width`)."""
    columns = columns or width()
    lines = ["", f" Usage: {USAGE}", ""]
    for paragraph in DESCRIPTION:
        lines += [f" {piece}" for piece in textwrap.wrap(paragraph, columns - 2)]
        lines.append("")
    options = [(f"{o.flags} {o.value}".rstrip(), OPTION_HELP[o.name]) for o in OPTIONS]
    lines += _panel("Options", options, columns)
    lines += _panel("Commands", [(c.name, c.summary) for c in COMMANDS], columns)
    return "\n".join(lines) + "\n"
