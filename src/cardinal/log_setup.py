"""How the server logs: Cardinal's own lines at the configured level, as text or one JSON object
a line, and other libraries' chatter (PDF layout, fonts, HTTP clients) only from WARNING up."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal

# Libraries whose INFO lines say nothing an operator needs (WeasyPrint logs every layout step).
QUIET = ("weasyprint", "fontTools", "PIL", "botocore", "boto3", "urllib3", "httpx", "httpcore")
# Attributes every LogRecord has; the rest came in ``extra`` and go into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: str, fmt: Literal["text", "json"]) -> None:
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
