"""RFC 9457 problem details: the one table from Cardinal's errors to HTTP problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from cardinal.content.json_paths import json_path
from cardinal.domain.errors import (
    AlreadyExists,
    CardinalError,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotFound,
    StaleVersion,
)

PROBLEM_TYPE = "https://cardinal.dev/problems/"
MEDIA_TYPE = "application/problem+json"

PROBLEMS: dict[type[CardinalError], tuple[int, str, str]] = {
    NotFound: (404, "not-found", "Not found"),
    AlreadyExists: (409, "already-exists", "Already exists"),
    InvalidInput: (422, "invalid-input", "Invalid input"),
    InvalidState: (409, "invalid-state", "Refused by the stored state"),
    StaleVersion: (412, "precondition-failed", "Precondition failed"),
    LimitExceeded: (422, "limit-exceeded", "Limit exceeded"),
}


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": PROBLEM_TYPE + kind, "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def problem_for(error: CardinalError) -> JSONResponse:
    for cls in type(error).__mro__:
        if cls in PROBLEMS:
            status, kind, title = PROBLEMS[cls]
            path = error.path if isinstance(error, InvalidInput) else None
            return problem(status, kind, title, error.message, path=path)
    raise KeyError(type(error).__name__)


def install(app: FastAPI) -> None:
    """Answer every error as problem details."""

    @app.exception_handler(CardinalError)
    async def _cardinal(_: Request, error: CardinalError) -> JSONResponse:
        return problem_for(error)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "path": json_path([p for p in e.get("loc", ())[1:] if isinstance(p, str | int)]),
                "in": str(e.get("loc", ("body",))[0]),
                "detail": e.get("msg", ""),
            }
            for e in error.errors()
        ]
        first = errors[0] if errors else {"path": "$", "detail": "invalid request"}
        return problem(
            422,
            "invalid-input",
            "Invalid input",
            f"{first['detail']} (at {first['path']})",
            path=first["path"],
            errors=errors,
        )

    @app.exception_handler(HTTPException)
    async def _http(_: Request, error: HTTPException) -> JSONResponse:
        return problem(error.status_code, "http", str(error.detail), str(error.detail))
