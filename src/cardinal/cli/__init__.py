"""The ``cardinal`` command line."""

import sys
import types


def _without_httpx_command_line() -> None:
    """Keep httpx from importing its own command line (click, pygments and rich's syntax
    highlighting, a third of a command's start) when the ``httpx`` module is imported: this
    process never runs the ``httpx`` command. A no-op once httpx is imported."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main", "httpx's command line, not loaded by cardinal")

    def main() -> None:
        raise SystemExit("httpx's command line is not loaded in cardinal's process")

    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in


_without_httpx_command_line()
