"""The CLI's exit codes (:mod:`cardinal.cli.exit_codes`) and its one table from errors to an exit code and one line on stderr.

Commands reach Cardinal through :mod:`cardinal.client` (whose errors come from the REST API's
problem details), and a few local-only steps call the services directly (whose errors are the
domain's). Both kinds are mapped here, once::

    exit  meaning                         raised as
    0     success
    1     a check failed                  (the gate is closed, verification found a break,
                                          an export job failed)
    2     usage error                     bad arguments, unreadable file, editor failed
    3     not found                       NotFoundError, NotFound
    4     refused                         InvalidInputError, ConflictError,
                                          PreconditionFailedError, NotAuthenticatedError,
                                          ForbiddenError, other 4xx ApiError, InvalidInput,
                                          AlreadyExists, InvalidState, LimitExceeded,
                                          NotAuthenticated, AccessDenied; also a file that
                                          is not YAML/JSON
    5     server unreachable or failing   TransportError, UnexpectedResponseError, 5xx;
                                          also no local store yet (a command that reads never
                                          creates one), a database that cannot be opened, and
                                          a port `cardinal serve` cannot listen on
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from cardinal.cli.exit_codes import (
    EXIT_FAILED as EXIT_FAILED,
)
from cardinal.cli.exit_codes import (
    EXIT_NOT_FOUND as EXIT_NOT_FOUND,
)
from cardinal.cli.exit_codes import (
    EXIT_OK as EXIT_OK,
)
from cardinal.cli.exit_codes import (
    EXIT_REFUSED as EXIT_REFUSED,
)
from cardinal.cli.exit_codes import (
    EXIT_UNREACHABLE as EXIT_UNREACHABLE,
)
from cardinal.cli.exit_codes import (
    EXIT_USAGE as EXIT_USAGE,
)
from cardinal.cli.terminal import printable
from cardinal.client.errors import (
    ApiError,
    CardinalClientError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotAuthenticatedError,
    NotFoundError,
    PreconditionFailedError,
    TransportError,
    UnexpectedResponseError,
)
from cardinal.domain.errors import (
    AccessDenied,
    AlreadyExists,
    CardinalError,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    NotFound,
    StaleVersion,
)

console = Console(stderr=True, soft_wrap=True)


# (exit code, label of the line) per error class; the most specific class in the MRO wins.
EXITS: dict[type[Exception], tuple[int, str]] = {
    NotFoundError: (EXIT_NOT_FOUND, "not found"),
    NotAuthenticatedError: (EXIT_REFUSED, "not signed in"),
    ForbiddenError: (EXIT_REFUSED, "forbidden"),
    InvalidInputError: (EXIT_REFUSED, "refused"),
    ConflictError: (EXIT_REFUSED, "refused"),
    PreconditionFailedError: (EXIT_REFUSED, "changed meanwhile"),
    ApiError: (EXIT_REFUSED, "refused"),
    TransportError: (EXIT_UNREACHABLE, "unreachable"),
    UnexpectedResponseError: (EXIT_UNREACHABLE, "unexpected answer"),
    CardinalClientError: (EXIT_UNREACHABLE, "error"),
    NotFound: (EXIT_NOT_FOUND, "not found"),
    InvalidInput: (EXIT_REFUSED, "refused"),
    AlreadyExists: (EXIT_REFUSED, "refused"),
    StaleVersion: (EXIT_REFUSED, "changed meanwhile"),
    InvalidState: (EXIT_REFUSED, "refused"),
    LimitExceeded: (EXIT_REFUSED, "refused"),
    NotAuthenticated: (EXIT_REFUSED, "not signed in"),
    AccessDenied: (EXIT_REFUSED, "forbidden"),
    CardinalError: (EXIT_REFUSED, "refused"),
}


class CommandError(Exception):
    """A failure the CLI itself finds (a file that does not parse, a bad reference)."""

    def __init__(self, code: int, label: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.label = label
        self.message = message


def usage_error(message: str) -> CommandError:
    return CommandError(EXIT_USAGE, "error", message)


def usage(message: str) -> typer.Exit:
    """Print a usage error's line; the exit (2) to raise."""
    return fail(EXIT_USAGE, "error", message)


def exit_for(error: Exception, endpoint: str | None = None) -> tuple[int, str, str]:
    """The exit code, the label and the message of the one line that reports ``error``."""
    if isinstance(error, CommandError):
        return error.code, error.label, error.message
    for cls in type(error).__mro__:
        if cls in EXITS:
            code, label = EXITS[cls]
            break
    else:
        raise KeyError(type(error).__name__) from error
    if isinstance(error, ApiError):
        if error.status >= 500:
            return EXIT_UNREACHABLE, "server error", str(error)
        detail = error.detail
        if error.path is not None and error.path not in detail:
            detail = f"{error.path}: {detail}"
        return code, label, detail
    if isinstance(error, TransportError | UnexpectedResponseError):
        where = f" at {endpoint}" if endpoint else ""
        return code, label, f"no answer from the Cardinal server{where}: {error}"
    if isinstance(error, CardinalError):
        return code, label, error.message
    return code, label, str(error)


def fail(code: int, label: str, message: str) -> typer.Exit:
    """Print ``label: message`` as one line on stderr; the exit to raise."""
    console.print(f"[red]{escape(label)}:[/red] {escape(printable(message))}", highlight=False)
    return typer.Exit(code)


@contextmanager
def reported_errors(endpoint: str | None = None) -> Iterator[None]:
    """Turn Cardinal's errors into one clear line on stderr and a documented exit code."""
    try:
        yield
    except (CardinalClientError, CardinalError, CommandError) as error:
        raise fail(*exit_for(error, endpoint)) from None
