"""The Python client loads no server code: no FastAPI, Starlette, SQLAlchemy or WeasyPrint."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import cardinal.client
for name in cardinal.client.__all__:
    getattr(cardinal.client, name)
server = ("fastapi", "starlette", "sqlalchemy", "alembic", "weasyprint", "jsonschema", "uvicorn")
ours = ("cardinal.store", "cardinal.services", "cardinal.api", "cardinal.documents",
        "cardinal.content", "cardinal.cli", "cardinal.app", "cardinal.config")
loaded = sorted(
    m for m in sys.modules
    if m.split(".")[0] in server or any(m == o or m.startswith(o + ".") for o in ours)
)
print("\\n".join(loaded))
"""


def test_importing_the_client_loads_no_server_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split() == []
