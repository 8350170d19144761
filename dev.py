#!/usr/bin/env python3
"""Set up and run Cardinal from a checkout, with nothing but Python 3.11+.

    python3 dev.py demo     set up, then serve the demo registry on http://127.0.0.1:8765
    python3 dev.py test     set up, then run the linters and the whole test suite

Set-up makes .venv (Cardinal and its development tools) and, for the tests, one virtual
environment per SageMaker SDK under .venvs/ (the SDK v2 and v3 cannot share one). Each is
made again only when its requirements change, and compiled to bytecode when it is made;
Cardinal's own sources are compiled on every run. A command then starts without compiling what
it imports, even where PYTHONDONTWRITEBYTECODE keeps Python from caching it. On Debian and
Ubuntu it also installs, with apt-get, the system libraries PDF rendering needs (Pango) and
fonts that cover non-Latin text (DejaVu, Noto, Noto CJK), and for the tests Debian's Chromium
(the web UI's browser tests drive it with Playwright), when they are missing.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
SDK_VENVS = {
    "sdk-v2": ROOT / "tests" / "sdk" / "requirements-v2.txt",
    "sdk-v3": ROOT / "tests" / "sdk" / "requirements-v3.txt",
}


# What PDF export needs from the system: Pango and HarfBuzz (WeasyPrint's text layout, font
# subsetting) and fonts.
SYSTEM_PACKAGES = (
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-dejavu-core",
    "fonts-noto-core",
    "fonts-noto-cjk",
)
# What the tests need on top: the browser the web UI's tests drive with Playwright. Playwright's
# own browser download is never used; a Chromium named by CARDINAL_CHROMIUM, or one already on
# PATH (Ubuntu's snap, say), does as well.
TEST_SYSTEM_PACKAGES = ("chromium",)


def _missing_system_packages(packages: tuple[str, ...]) -> list[str]:
    missing = []
    for package in packages:
        if package == "chromium" and (
            os.environ.get("CARDINAL_CHROMIUM") or shutil.which("chromium")
        ):
            continue
        found = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        if "install ok installed" not in found.stdout:
            missing.append(package)
    return missing


def ensure_system_packages(*, required: bool, tests: bool = False) -> None:
    """Install the system packages PDF export needs, and with ``tests`` the browser the tests
    need, where apt-get can (Debian, as root)."""
    if shutil.which("dpkg-query") is None or shutil.which("apt-get") is None:
        return
    wanted = SYSTEM_PACKAGES + (TEST_SYSTEM_PACKAGES if tests else ())
    missing = _missing_system_packages(wanted)
    if not missing:
        return
    if os.geteuid() != 0:
        needs = "The tests need" if tests else "PDF export needs"
        message = f"{needs} these system packages: sudo apt-get install {' '.join(missing)}"
        if required:
            raise SystemExit(message)
        print(f"warning: {message}", file=sys.stderr)
        return
    print(f"Installing {' '.join(missing)} with apt-get ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        _run("apt-get", "update", "-qq", env=env)
        _run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)
    except subprocess.CalledProcessError:
        if required:
            raise
        print("warning: could not install them; PDF export may fail", file=sys.stderr)


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / name


def _run(*command: str | Path, **kwargs: object) -> None:
    subprocess.run([str(c) for c in command], check=True, **kwargs)  # type: ignore[call-overload]


def _stamp(env: Path, *inputs: Path, note: str = "") -> bool:
    """True if ``env`` was set up from these exact inputs; records them otherwise."""
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs) + note.encode()).hexdigest()
    stamp = env / ".cardinal-stamp"
    if stamp.exists() and stamp.read_text() == digest:
        return True
    stamp.write_text(digest)
    return False


def _installer(env: Path) -> list[str]:
    """uv when the main venv has it (much faster), else pip."""
    uv = _bin(VENV, "uv")
    if uv.exists():
        return [str(uv), "pip", "install", "--quiet", "--python", str(_bin(env, "python"))]
    return [str(_bin(env, "python")), "-m", "pip", "install", "--quiet"]


def _compile(env: Path, *paths: Path) -> None:
    """Bytecode, for ``env``'s Python, of every module under ``paths`` that has none or an
    outdated one; files that are not Python 3 (templates, test data some packages ship) are left
    as they are."""
    python = str(_bin(env, "python"))
    subprocess.run([python, "-m", "compileall", "-qq", "-j", "0", *map(str, paths)], check=False)


def _site_packages(env: Path) -> Path:
    return env / "Lib" if os.name == "nt" else env / "lib"


def ensure_main_venv(extras: str = "dev") -> None:
    """Cardinal in .venv; with the ``dev`` extras (test tools) unless ``extras`` is empty."""
    if not _bin(VENV, "python").exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
        _run(_bin(VENV, "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip", "uv")
    marker = ROOT / "pyproject.toml"
    if not _stamp(VENV, marker, Path(__file__), note=extras):
        print("Installing Cardinal into .venv ...", flush=True)
        try:
            _run(*_installer(VENV), "-e", f"{ROOT}[{extras}]" if extras else str(ROOT))
        except subprocess.CalledProcessError:
            (VENV / ".cardinal-stamp").unlink(missing_ok=True)
            raise
        print("Compiling .venv to bytecode ...", flush=True)
        _compile(VENV, _site_packages(VENV))
    _compile(VENV, ROOT / "src")  # installed editable, so as source


def ensure_sdk_venvs() -> dict[str, Path]:
    pythons = {}
    for name, requirements in SDK_VENVS.items():
        env = ROOT / ".venvs" / name
        if not _bin(env, "python").exists():
            print(f"Creating .venvs/{name} ...", flush=True)
            venv.create(env, with_pip=True)
        if not _stamp(env, requirements):
            print(f"Installing {requirements.name} into .venvs/{name} ...", flush=True)
            try:
                _run(*_installer(env), "-r", requirements)
            except subprocess.CalledProcessError:
                (env / ".cardinal-stamp").unlink(missing_ok=True)
                raise
            _compile(env, _site_packages(env))
        pythons[name] = _bin(env, "python")
    return pythons


# `cardinal serve`'s own defaults and its exit code for a port it cannot listen on.
DEMO_HOST, DEMO_PORT, EXIT_CANNOT_SERVE = "127.0.0.1", "8765", 5


def _option(args: list[str], name: str, default: str) -> str:
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(f"{name}="):
            return arg.partition("=")[2]
    return default


def _busy_port(args: list[str]) -> str | None:
    """Why the demo server could not listen where ``args`` ask, or None if it can."""
    env = os.environ
    host = _option(args, "--host", env.get("CARDINAL_HOST", DEMO_HOST))
    port = _option(args, "--port", env.get("CARDINAL_PORT", DEMO_PORT))
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, int(port)))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return f"{host}:{port} is already in use; stop what listens there or give --port"
    except ValueError:
        pass  # not a port number: cardinal serve says so, as it does any other problem
    return None


def demo(args: list[str]) -> int:
    busy = _busy_port(args)
    if busy is not None:  # before set-up, which may take minutes
        print(f"cannot serve: {busy}", file=sys.stderr)
        return EXIT_CANNOT_SERVE
    ensure_system_packages(required=False)
    ensure_main_venv(extras="")
    data_dir = ROOT / ".cardinal" / "demo"
    command = [str(_bin(VENV, "cardinal")), "serve", "--demo", "--data-dir", str(data_dir), *args]
    return subprocess.call(command)


def test(args: list[str]) -> int:
    ensure_system_packages(required=True, tests=True)
    ensure_main_venv()
    pythons = ensure_sdk_venvs()
    env = dict(os.environ)
    env["CARDINAL_SDK_V2_PYTHON"] = str(pythons["sdk-v2"])
    env["CARDINAL_SDK_V3_PYTHON"] = str(pythons["sdk-v3"])
    ruff = str(_bin(VENV, "ruff"))
    checks = (
        [ruff, "check", "."],
        [ruff, "format", "--check", "."],
        [str(_bin(VENV, "mypy"))],
        [str(_bin(VENV, "lint-imports")), "--no-cache"],
    )
    for command in checks:
        if subprocess.call(command, cwd=ROOT) != 0:
            return 1
    if not any(arg.startswith(("-n", "--numprocesses", "--dist")) for arg in args):
        args = ["-n", "auto", *args]  # one pytest worker per core (pytest-xdist)
    return subprocess.call([str(_bin(VENV, "pytest")), *args], cwd=ROOT, env=env)


def main() -> int:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 is
        print("Cardinal needs Python 3.11 or newer.", file=sys.stderr)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
