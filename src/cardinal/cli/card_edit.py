"""`cardinal card edit`: change a card's content in an editor, as YAML, safely.

The latest version is read with its ETag and written to a YAML file; ``$VISUAL`` or
``$EDITOR`` (default ``vi``) opens it. When the editor exits, unchanged (or emptied) content
stores nothing; content that does not parse or that the card's schema refuses is reported in one
line and, at a terminal, the editor can be re-opened on it. Otherwise the content is sent with
``If-Match`` set to the ETag read before editing, so if someone stored a version meanwhile the
edit is refused (exit 4) rather than lost over theirs. Whenever nothing was stored, the edited
text stays in its file, and the line says where.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import typer

from cardinal.cli.card_commands import CardName
from cardinal.cli.connection import connect
from cardinal.cli.documents import content_refused, dump_yaml, parse_document, read_text
from cardinal.cli.errors import EXIT_REFUSED, CommandError, exit_for, fail, usage_error
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, line, say
from cardinal.client import (
    CardinalClient,
    CardinalClientError,
    CardWithETag,
    InvalidInputError,
    PreconditionFailedError,
)


def editor_command() -> list[str]:
    """The editor to run, as a command line (``$VISUAL``, then ``$EDITOR``, then ``vi``)."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(chosen)


def _write_draft(start: CardWithETag) -> Path:
    card = start.card
    header = (
        f"# Model card {card.name}, version {card.version} ({card.status.value}).\n"
        f"# Edit the content below, then save and quit: it is stored as version "
        f"{card.latest_version + 1}.\n"
        "# Leave it unchanged, or empty the file, to store nothing.\n"
    )
    handle, name = tempfile.mkstemp(prefix=f"cardinal-{card.name}-", suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8") as draft:
        draft.write(header + dump_yaml(card.content))
    return Path(name)


def _run_editor(command: list[str], draft: Path) -> None:
    try:
        ran = subprocess.run([*command, str(draft)], check=False)
    except OSError as error:
        raise usage_error(
            f"cannot run the editor '{shlex.join(command)}': {error}; your draft is in {draft}."
        ) from None
    if ran.returncode != 0:
        raise usage_error(
            f"the editor '{shlex.join(command)}' exited with {ran.returncode}; nothing was "
            f"stored; your draft is in {draft}."
        )


def _is_empty(text: str) -> bool:
    return all(not row.strip() or row.lstrip().startswith("#") for row in text.splitlines())


def _reopen_or_exit(error: Exception, draft: Path) -> None:
    """Report an error in the edited text; return to edit again (at a terminal, when wanted),
    else exit with the error's code, saying where the edit is."""
    code, label, message = exit_for(error)
    if not sys.stdin.isatty():
        raise fail(code, label, f"{message} (nothing was stored; your edit is in {draft})")
    fail(code, label, message)
    if typer.confirm("Re-open the editor?", default=True, err=True):
        return
    say(f"Nothing was stored; your edit is in {draft}.")
    raise typer.Exit(code)


def _store(
    client: CardinalClient, start: CardWithETag, content: dict[str, Any], draft: Path
) -> CardWithETag | None:
    """The stored version, or None to edit again."""
    name = start.card.name
    try:
        return client.cards.update_content(name, content, if_match=start.etag)
    except InvalidInputError as error:
        _reopen_or_exit(content_refused(error, str(draft)), draft)
        return None
    except PreconditionFailedError:
        raise CommandError(
            EXIT_REFUSED,
            "changed meanwhile",
            f"model card {name} got a new version after version {start.version}, the one you "
            f"edited; nothing was stored; your edit is in {draft} (edit again to apply it to "
            "the latest version).",
        ) from None
    except CardinalClientError as error:
        code, label, message = exit_for(error)
        raise CommandError(
            code, label, f"{message} (nothing was stored; your edit is in {draft})"
        ) from None


@connected(writes=True)
def edit_command(
    name: CardName,
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Edit a card's latest content as YAML in $VISUAL or $EDITOR; store it as the next version.

    Unchanged content stores nothing. Content that is not valid YAML or that the card schema
    refuses is reported (at a terminal you may re-open the editor); exit 4 otherwise. If another
    version was stored while you edited, nothing is stored (exit 4) and your edit is kept.

    Example: EDITOR=nano cardinal card edit churn-v1
    """
    command = editor_command()
    with connect(where) as cn:
        start = cn.client.cards.get(name)
        draft = _write_draft(start)
        stored: CardWithETag | None = None
        while stored is None:
            _run_editor(command, draft)
            text = read_text(draft)
            if _is_empty(text):
                draft.unlink()
                say("The file is empty: nothing was stored.")
                return
            try:
                content = parse_document(text, str(draft))
            except CommandError as error:
                _reopen_or_exit(error, draft)
                continue
            if content == start.card.content:
                draft.unlink()
                say(f"No changes: model card {name} stays at version {start.version}.")
                return
            stored = _store(cn.client, start, content, draft)
    draft.unlink()
    card = stored.card
    emit(card, output, lambda: line(f"Stored model card {card.name} version {card.version}."))
