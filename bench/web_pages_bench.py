"""Server-side latency of the web UI's pages at 10^5 stored versions, on SQLite and PostgreSQL.

For each backend it seeds the registry exactly as ``registry_bench.py`` does (its code,
imported: ``--versions`` model package versions, 90 % in the group ``bench-big``, and
``--cards`` model cards, a third linked to versions), starts a real ``cardinal serve``
subprocess on 127.0.0.1, signs in through the login form (or, with ``--auth open``, runs the
server in open mode), and times ``--calls`` GETs of each page from one kept-alive HTTP
connection: p50, p95, p99 and max in milliseconds, against the goal of a p95 under 100 ms.
Then it requests each page again in-process (the same application, through Starlette's test
client) and counts the SQL statements each page runs, to show where the time goes.

The code measured is a copy of the working tree's ``src/`` taken when the run starts (or the
tree ``--src`` names): the benchmark runs itself in a child process with that copy first on
PYTHONPATH, so seeding, server and in-process step run one snapshot whatever is edited meanwhile.

It prints markdown tables, writes every figure to ``bench/results/web-pages-<timestamp>.json``
and exits with status 1 if any request fails (an answer other than 200, or a broken
connection), a page's content check does not hold, or the in-process step fails.

    .venv/bin/python bench/web_pages_bench.py --backend both
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

import httpx
import registry_bench as rb
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from starlette.testclient import TestClient

from cardinal.domain.access import Grant, Role
from cardinal.domain.identifiers import Scope
from cardinal.domain.identities import PrincipalKind
from cardinal.services.container import Services
from cardinal.services.context import RequestContext

HOST = rb.HOST
REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = rb.RESULTS_DIR
SOURCE_ENV = "WEB_PAGES_BENCH_SOURCE"  # set in the child that measures: what it measures
GOAL_P95_MS = 100.0
WEB_PAGE = 25  # rows on a list page of the web UI (pages.PAGE_SIZE)
USER = "bench-viewer"
PASSWORD = "bench-viewer-password"

NEXT_LINK = re.compile(r'<a href="([^"]*)"[^>]*\brel="next"')
VERSION_LINK = re.compile(rf'href="/groups/{rb.BIG_GROUP}/versions/(\d+)"')
CARD_LINK = re.compile(r'href="/cards/bench-card-\d+"')
AS_OF = "2999-01-01T00:00:00"  # a moment after the seed: every event counts
AS_OF_VERSION_LINK = re.compile(rf'href="/groups/{rb.BIG_GROUP}/versions/(\d+)\?as_of=')
SEARCH_HIT = re.compile(r"<li><a href=\"/(?:cards|groups)/")


# --------------------------------------------------------------------------- figures


@dataclass
class PageFigures:
    page: str
    detail: str
    example: str
    calls: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    response_bytes: int
    failed_calls: int
    meets_goal: bool
    sql_statements: float | None = None  # per request, counted in-process
    sql_ms: float | None = None  # per request, in-process: executing those statements
    in_process_p50_ms: float | None = None

    @classmethod
    def of(
        cls, page: str, detail: str, example: str, seconds: list[float], size: int, failed: int
    ) -> PageFigures:
        ms = sorted(s * 1000 for s in seconds)
        p95 = rb.percentile(ms, 95)
        return cls(
            page=page,
            detail=detail,
            example=example,
            calls=len(ms),
            p50_ms=rb.percentile(ms, 50),
            p95_ms=p95,
            p99_ms=rb.percentile(ms, 99),
            max_ms=ms[-1],
            mean_ms=sum(ms) / len(ms),
            response_bytes=size,
            failed_calls=failed,
            meets_goal=p95 < GOAL_P95_MS,
        )


@dataclass
class BackendResult:
    backend: str
    database: str
    versions: int
    cards: int
    auth: str
    seed_versions_seconds: float = 0.0
    seed_versions_per_second: float = 0.0
    seed_cards_seconds: float = 0.0
    layout: dict[str, Any] = field(default_factory=dict)
    floor: PageFigures | None = None  # GET /healthz: the round trip without a page
    load_average: list[float] = field(default_factory=list)  # 1-minute, before and after timing
    pages: list[PageFigures] = field(default_factory=list)
    server_log_problems: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """One page to time: ``paths`` are the URLs requested, in turn (one per call)."""

    page: str
    detail: str
    paths: list[str]
    check: Callable[[str], str | None]  # the page's HTML -> what is wrong with it, or None


# --------------------------------------------------------------------------- pages


def _rows(pattern: re.Pattern[str], expected: int, what: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        found = len(pattern.findall(text))
        return None if found == expected else f"{what}: {found} rows, expected {expected}"

    return check


def _at_least(pattern: re.Pattern[str], least: int, what: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        found = len(pattern.findall(text))
        return None if found >= least else f"{what}: {found} rows, expected at least {least}"

    return check


def _contains(needle: str) -> Callable[[str], str | None]:
    return lambda text: None if needle in text else f"the page does not show {needle!r}"


def _search(q: str, kind: str) -> str:
    return "/search?" + urlencode({"q": q, "in": kind})


def _big_group_page(first: int, what: str) -> Callable[[str], str | None]:
    """A page of bench-big, newest first, whose first row is about version ``first`` (versions
    registered concurrently may be a few places apart in creation time)."""

    def check(text: str) -> str | None:
        versions = [int(v) for v in VERSION_LINK.findall(text)]
        if len(versions) != WEB_PAGE:
            return f"{what}: {len(versions)} versions listed, expected {WEB_PAGE}"
        if abs(versions[0] - first) > 10:
            return f"{what}: the first version listed is {versions[0]}, expected about {first}"
        if not NEXT_LINK.search(text):
            return f"{what}: no next-page link"
        return None

    return check


def walk_group(http: httpx.Client, first: str, pages: int) -> tuple[str, int, float]:
    """Follow the group page's "Next page" link from ``first`` to page ``pages`` (or the last
    page): that page's URL, its number, and the seconds the walk took."""
    path, number = first, 1
    started = time.perf_counter()
    while number < pages:
        response = http.get(path)
        if response.status_code != 200:
            raise rb.BenchFailure(f"GET {path}: {response.status_code} while walking the pages")
        found = NEXT_LINK.search(response.text)
        if found is None:
            break
        path = urljoin(path, html.unescape(found.group(1)))
        number += 1
    return path, number, time.perf_counter() - started


def pages_to_time(
    http: httpx.Client, layout: rb.Layout, count: int, later_page: int, linked_big: int
) -> list[Page]:
    rng = random.Random(20261205)
    big = layout.big_count
    group = f"/groups/{rb.BIG_GROUP}"
    versions = [rng.randint(1, big) for _ in range(count)]
    cards = [rng.randrange(layout.cards) for _ in range(count)]
    later, number, walk = walk_group(http, group, later_page)
    rb.log(f"walked to page {number} of {group} in {walk:.1f} s ({len(later)}-character URL)")
    contains = f"training run {rng.randrange(layout.versions)}"

    def same(path: str) -> list[str]:
        return [path] * count

    return [
        Page("home", "/: 25 pending versions, 25 cards in review, 15 events", same("/"),
             _contains("bench-")),
        Page("groups", "/groups: first page of groups by name", same("/groups"),
             _contains(rb.BIG_GROUP)),
        Page("group, first page", f"{group}: 25 newest of {big:,} versions, with their cards",
             same(group), _big_group_page(big, "first page")),
        Page("group, later page", f"page {number} of {group} through its Next link",
             same(later), _big_group_page(big - (number - 1) * WEB_PAGE, f"page {number}")),
        Page("version", f"{group}/versions/{{n}}: a random version of {big:,}",
             [f"{group}/versions/{v}" for v in versions],
             _contains(f"{rb.BIG_GROUP}/{versions[0]}")),
        Page("card", f"/cards/{{name}}: a random card of {layout.cards:,} (a tenth with 2 versions)",
             [f"/cards/{rb.CARD.format(c)}" for c in cards], _contains(rb.CARD.format(cards[0]))),
        Page("group, as of", f"{group}?as_of=…: the 25 oldest of {big:,} versions, replayed",
             same(f"{group}?as_of={AS_OF}"), _rows(AS_OF_VERSION_LINK, WEB_PAGE, "versions then")),
        Page("version, as of", f"{group}/versions/{{n}}?as_of=…: its gate then",
             [f"{group}/versions/{v}?as_of={AS_OF}" for v in versions], _contains("Gate then")),
        Page("card, as of", "/cards/{name}?as_of=…: the card then",
             [f"/cards/{rb.CARD.format(c)}?as_of={AS_OF}" for c in cards],
             _contains("each one verified")),
        Page("cards", "/cards: first page of cards by name", same("/cards"),
             _rows(CARD_LINK, WEB_PAGE, "cards list")),
        Page("audit", "/audit: the 50 newest events", same("/audit"), _contains("bench-seed")),
        Page("search cards", f"group = {rb.BIG_GROUP} ({linked_big:,} cards), newest first",
             same(_search(f"group = {rb.BIG_GROUP}", "cards")),
             _rows(SEARCH_HIT, min(WEB_PAGE, linked_big), "card hits")),
        Page("search versions", f"group = {rb.BIG_GROUP} ({big:,} versions), newest first",
             same(_search(f"group = {rb.BIG_GROUP}", "versions")),
             _rows(SEARCH_HIT, WEB_PAGE, "version hits")),
        Page("search versions, text", f'description ~ "{contains}" (contains)',
             same(_search(f'description ~ "{contains}"', "versions")),
             _at_least(SEARCH_HIT, 1, "version hits")),
    ]  # fmt: skip


# --------------------------------------------------------------------------- signing in


def create_viewer(url: str) -> None:
    """A user with the viewer role (reads everything) and a password, made in-process."""
    services = Services.for_database(url)
    ctx = RequestContext(Scope(rb.ACCOUNT, rb.REGION), actor="bench-seed", request_id="bench-user")
    try:
        services.identities.create_principal(ctx, USER, PrincipalKind.USER, [Grant(Role.VIEWER)])
        services.identities.set_password(ctx, USER, PASSWORD)
    finally:
        services.close()


def sign_in(http: httpx.Client | TestClient) -> None:
    """Sign in as a browser does: GET /login (the double-submit CSRF cookie), then POST the form
    with that token; the session cookie stays in the client's cookie jar."""
    form = http.get("/login")
    if form.status_code != 200:
        raise rb.BenchFailure(f"GET /login: {form.status_code}")
    token = http.cookies.get("cardinal_csrf")
    if not token:
        raise rb.BenchFailure("GET /login set no cardinal_csrf cookie")
    answer = http.post(
        "/login",
        data={"name": USER, "password": PASSWORD, "csrf": token, "next": "/"},
        follow_redirects=False,
    )
    if answer.status_code != 303 or not http.cookies.get("cardinal_session"):
        raise rb.BenchFailure(f"signing in: {answer.status_code}, no session cookie")


# --------------------------------------------------------------------------- measuring


def time_page(http: httpx.Client, page: Page, warmup: int, result: BackendResult) -> PageFigures:
    """Check the page once, then ``warmup`` untimed and ``len(page.paths)`` timed GETs."""
    size = 0
    try:
        first = http.get(page.paths[0])
        size = len(first.content)
        wrong = f"answered {first.status_code}" if first.status_code != 200 else None
        wrong = wrong or page.check(first.text)
        for i in range(warmup):
            http.get(page.paths[i % len(page.paths)])
    except httpx.HTTPError as error:
        wrong = f"{type(error).__name__}: {error}"
    if wrong:
        result.failures.append(f"{page.page}: GET {page.paths[0]}: {wrong}")
    rb.quiet_client_gc()
    seconds: list[float] = []
    failed = 0
    for path in page.paths:
        if rb.STOP.is_set():
            raise SystemExit(1)
        started = time.perf_counter()
        try:
            status = str(http.get(path).status_code)
        except httpx.HTTPError as error:  # counted; the client reconnects for the next call
            status = f"{type(error).__name__}: {error}"
        seconds.append(time.perf_counter() - started)
        if status != "200":
            failed += 1
            if failed <= 5:
                result.failures.append(f"{page.page}: GET {path} answered {status}")
    figures = PageFigures.of(page.page, page.detail, page.paths[0], seconds, size, failed)
    rb.log(
        f"{page.page}: p50 {figures.p50_ms:.1f} ms, p95 {figures.p95_ms:.1f} ms, "
        f"p99 {figures.p99_ms:.1f} ms, max {figures.max_ms:.1f} ms ({figures.response_bytes:,} B)"
    )
    return figures


def time_floor(http: httpx.Client, calls: int, warmup: int) -> PageFigures:
    for _ in range(warmup):
        http.get("/healthz")
    rb.quiet_client_gc()
    seconds = []
    for _ in range(calls):
        started = time.perf_counter()
        http.get("/healthz")
        seconds.append(time.perf_counter() - started)
    return PageFigures.of(
        "healthz", "GET /healthz: no page, no database", "/healthz", seconds, 0, 0
    )


@dataclass
class SqlTally:
    statements: int = 0
    seconds: float = 0.0  # from the cursor's execute to its return: the database's answer


@dataclass(frozen=True)
class InProcess:
    """One page requested in-process, per request: SQL statements, their time, the median."""

    statements: float
    sql_ms: float
    p50_ms: float


@contextlib.contextmanager
def tallying_sql() -> Iterator[SqlTally]:
    """Counts and times every SQL statement any engine in this process runs while inside (not
    the pool's ping, BEGIN or COMMIT, which do not pass through a cursor's execute)."""
    tally = SqlTally()
    lock = threading.Lock()

    def before(conn: Any, *_: Any) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(conn: Any, *_: Any) -> None:
        took = time.perf_counter() - conn.info["bench_started"].pop()
        with lock:
            tally.statements += 1
            tally.seconds += took

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    try:
        yield tally
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)


def profile_in_process(
    url: str, data_dir: Path, open_mode: bool, pages: list[Page], calls: int
) -> dict[str, InProcess]:
    """Each page through the same application in this process (Starlette's test client, no
    socket), ``calls`` requests a page: the SQL statements it runs and their time."""
    from cardinal.app import create_app
    from cardinal.config import Settings

    settings = Settings(
        auth="off" if open_mode else "on",
        data_dir=data_dir,
        database_url=url,
        export_workers=0,
    )
    figures: dict[str, InProcess] = {}
    with TestClient(create_app(settings)) as client:
        if not open_mode:
            sign_in(client)
        for page in pages:
            paths = page.paths[:calls]
            client.get(paths[0])  # warm
            seconds = []
            with tallying_sql() as tally:
                for path in paths:
                    started = time.perf_counter()
                    status = client.get(path).status_code
                    seconds.append(time.perf_counter() - started)
                    if status != 200:
                        raise rb.BenchFailure(f"{page.page}: GET {path} answered {status}")
            ms = sorted(s * 1000 for s in seconds)
            figures[page.page] = InProcess(
                statements=tally.statements / len(paths),
                sql_ms=tally.seconds * 1000 / len(paths),
                p50_ms=rb.percentile(ms, 50),
            )
    return figures


# --------------------------------------------------------------------------- one backend


def run_backend(backend: str, args: argparse.Namespace) -> BackendResult:
    layout = rb.Layout.for_versions(args.versions, args.cards)
    open_mode = args.auth == "open"
    opened: contextlib.AbstractContextManager[tuple[str, Path]] = (
        rb.sqlite_database() if backend == "sqlite" else rb.postgres_database(args.postgres_url)
    )
    with opened as (url, data_dir):
        result = BackendResult(
            backend=backend,
            database=(
                f"SQLite {sqlite3.sqlite_version}, WAL, file in a temporary directory"
                if backend == "sqlite"
                else "PostgreSQL {server_version} on {HOST} (shared_buffers {shared_buffers}, "
                "synchronous_commit {synchronous_commit})".format(
                    HOST=HOST, **rb.postgres_facts(url)
                )
            ),
            versions=args.versions,
            cards=args.cards,
            auth="open mode (CARDINAL_AUTH=off)" if open_mode else f"signed in as {USER}",
        )
        rb.log(f"== {backend}: {result.database}")
        seeded = rb.BackendResult(backend, result.database, args.versions, args.cards)
        rb.seed(url, layout, args.seed_threads, seeded)
        result.seed_versions_seconds = seeded.seed_versions_seconds
        result.seed_versions_per_second = seeded.seed_versions_per_second
        result.seed_cards_seconds = seeded.seed_cards_seconds
        result.layout = seeded.layout
        if not open_mode:
            create_viewer(url)
        if backend == "postgresql":
            started = time.perf_counter()
            rb.analyze_postgres(url)
            rb.log(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
        server = rb.start_server(url, data_dir, open_mode=open_mode)
        pages: list[Page] = []
        try:
            with httpx.Client(base_url=server.url, timeout=120, trust_env=False) as http:
                if not open_mode:
                    sign_in(http)
                result.floor = time_floor(http, args.calls, args.warmup)
                rb.log(f"GET /healthz: p50 {result.floor.p50_ms:.2f} ms")
                pages = pages_to_time(
                    http,
                    layout,
                    args.calls,
                    args.later_page,
                    result.layout["cards_linked_to_big_group"],
                )
                result.load_average.append(os.getloadavg()[0])
                for page in pages:
                    result.pages.append(time_page(http, page, args.warmup, result))
                result.load_average.append(os.getloadavg()[0])
        except (rb.BenchFailure, httpx.HTTPError) as error:
            result.failures.append(f"{type(error).__name__}: {error}")
        finally:
            server.stop()
            result.server_log_problems = server.log_problems()
            if result.server_log_problems:
                result.problems.append(
                    f"the server logged {len(result.server_log_problems)} error line(s), e.g. "
                    f"{result.server_log_problems[0]}"
                )
        if pages and args.profile_calls:
            rb.log(f"counting SQL statements in-process ({args.profile_calls} requests a page)")
            counted: dict[str, InProcess] = {}
            try:
                counted = profile_in_process(url, data_dir, open_mode, pages, args.profile_calls)
            except Exception as error:  # the code under test failed: reported, not raised
                result.failures.append(f"in-process: {type(error).__name__}: {error}")
            for figures in result.pages:
                if figures.page in counted:
                    found = counted[figures.page]
                    figures.sql_statements = found.statements
                    figures.sql_ms = found.sql_ms
                    figures.in_process_p50_ms = found.p50_ms
    return result


# --------------------------------------------------------------------------- report


def _cell(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def render(results: list[BackendResult], args: argparse.Namespace) -> str:
    names = [r.backend for r in results]
    out = [
        f"## Cardinal web UI pages, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}; "
        f"{args.versions:,} seeded versions, {args.cards:,} cards; {args.calls:,} timed GETs "
        f"per page over one kept-alive connection to `cardinal serve` on {HOST} "
        f"(after {args.warmup} untimed); goal: p95 < {GOAL_P95_MS:.0f} ms.",
        "",
    ]
    for r in results:
        load = " → ".join(f"{v:.1f}" for v in r.load_average) or "?"
        out.append(f"- **{r.backend}**: {r.database}; {r.auth}; load average {load}")
    out += ["", "### Seeding (in-process, through the services)", ""]
    out.append("| | " + " | ".join(names) + " |")
    out.append("|---|" + "---:|" * len(names))
    out.append(
        f"| {args.versions:,} versions (s) | "
        + " | ".join(f"{r.seed_versions_seconds:.1f}" for r in results)
        + " |"
    )
    out.append(
        f"| {args.cards:,} cards (s) | "
        + " | ".join(f"{r.seed_cards_seconds:.1f}" for r in results)
        + " |"
    )
    out += ["", "### Page latency, server side (ms)", ""]
    out.append(
        "| page | what | "
        + " | ".join(f"{n} p50 | p95 | p99 | max" for n in names)
        + f" | p95 < {GOAL_P95_MS:.0f} ms |"
    )
    out.append("|---|---|" + "---:|---:|---:|---:|" * len(names) + "---|")
    rows: list[tuple[str, str]] = []
    for r in results:
        for figures in ([r.floor] if r.floor else []) + r.pages:
            if (figures.page, figures.detail) not in rows:
                rows.append((figures.page, figures.detail))
    for page, detail in rows:
        cells, missed = [], []
        for r in results:
            found = next(
                (f for f in ([r.floor] if r.floor else []) + r.pages if f.page == page), None
            )
            if found is None:
                cells.append("— | — | — | —")
                continue
            cells.append(
                f"{found.p50_ms:.1f} | {found.p95_ms:.1f} | {found.p99_ms:.1f} | {found.max_ms:.1f}"
            )
            if not found.meets_goal:
                missed.append(r.backend)
        goal = "**no** (" + ", ".join(missed) + ")" if missed else "yes"
        out.append(f"| {page} | {detail} | " + " | ".join(cells) + f" | {goal} |")
    out += [
        "",
        "### Where the time goes: the same pages in-process, per request",
        "",
        f"{args.profile_calls} requests a page through Starlette's test client: the SQL "
        "statements run, the time PostgreSQL took to answer them (cursor execute to return; "
        "not the pool's ping, BEGIN, COMMIT; on SQLite execute returns at the first row, so "
        "that time is not shown), and the median time of the whole request.",
        "",
    ]
    out.append(
        "| page | bytes | "
        + " | ".join(f"{n} statements | SQL ms (mean) | p50 ms" for n in names)
        + " |"
    )
    out.append("|---|---:|" + "---:|---:|---:|" * len(names))
    for page, _ in rows[1:]:
        cells = []
        size = 0
        for r in results:
            found = next((f for f in r.pages if f.page == page), None)
            if found is None:
                cells.append("— | — | —")
                continue
            size = found.response_bytes
            # SQLite's execute returns at the first row and reads the rest while fetching:
            # its time says little, so it is only in the JSON.
            sql_ms = None if r.backend == "sqlite" else found.sql_ms
            cells.append(
                f"{_cell(found.sql_statements)} | {_cell(sql_ms)} | "
                f"{_cell(found.in_process_p50_ms)}"
            )
        out.append(f"| {page} | {size:,} | " + " | ".join(cells) + " |")
    problems = [f"{r.backend}: {p}" for r in results for p in r.problems]
    out += ["", "### Server problems", ""]
    out += [f"- {p}" for p in problems] or ["- none found"]
    failures = [f"{r.backend}: {f}" for r in results for f in r.failures]
    if failures:
        out += ["", "### FAILURES", ""]
        out += [f"- {f}" for f in failures]
    return "\n".join(out)


def _git(*arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *arguments],
        capture_output=True, text=True, check=True, timeout=30,
    ).stdout  # fmt: skip


def snapshot_source(target: Path) -> dict[str, Any]:
    """Copy the working tree's src/ to ``target``/src, so that files others edit during the run
    change nothing measured; what was copied: the commit and the uncommitted files' hashes."""
    state: dict[str, Any] = {"src": "snapshot of the working tree's src/"}
    try:
        state["commit"] = _git("rev-parse", "HEAD").strip()
        changed = [
            line[3:].strip() for line in _git("status", "--porcelain", "--", "src").splitlines()
        ]
    except (OSError, subprocess.SubprocessError):
        state["commit"], changed = None, []
    shutil.copytree(
        REPO / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    state["uncommitted"] = {
        name: (
            hashlib.sha256((target / name).read_bytes()).hexdigest()[:16]
            if (target / name).is_file()
            else "directory or deleted"
        )
        for name in changed
    }
    return state


def run_on_source(args: argparse.Namespace, argv: list[str]) -> int:
    """Run the benchmark in a child process on the measured code: a copy of src/ taken now (or
    ``--src``), which the child imports, and the server it starts too (through PYTHONPATH)."""
    with tempfile.TemporaryDirectory(prefix="cardinal-web-bench-src-") as directory:
        if args.src is not None:
            source = args.src.resolve()
            state: dict[str, Any] = {"src": str(source)}
        else:
            state = snapshot_source(Path(directory))
            source = Path(directory) / "src"
        (Path(directory) / "source.json").write_text(json.dumps(state))
        env = os.environ | {
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(source), os.environ.get("PYTHONPATH")])
            ),
            SOURCE_ENV: str(Path(directory) / "source.json"),
        }
        child = subprocess.Popen([sys.executable, __file__, *argv], env=env)

        def forward(signum: int, _frame: Any) -> None:
            if child.poll() is None:
                child.send_signal(signum)  # the child cleans up: its server, its database

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the child by itself
        return child.wait()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--versions", type=int, default=100_000, help="versions to seed")
    parser.add_argument("--cards", type=int, default=3_000, help="model cards to seed")
    parser.add_argument("--calls", type=int, default=300, help="timed GETs per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed GETs before each page")
    parser.add_argument(
        "--later-page", type=int, default=100, help="the group page reached through Next links"
    )
    parser.add_argument(
        "--auth",
        choices=["session", "open"],
        default="session",
        help="session: authentication on, signed in through /login; open: CARDINAL_AUTH=off",
    )
    parser.add_argument(
        "--profile-calls",
        type=int,
        default=20,
        help="in-process requests per page to count SQL statements (0: skip)",
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=None,
        help="the source directory measured (holding cardinal/), e.g. an export of another "
        "commit's src/; default: a copy of this working tree's src/ taken at the start",
    )
    parser.add_argument("--seed-threads", type=int, default=2, help="threads seeding in-process")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CARDINAL_TEST_DATABASE_URL", rb.DEFAULT_POSTGRES_URL),
        help="admin URL of the local PostgreSQL server; the benchmark database is made there",
    )
    args = parser.parse_args(argv)
    if args.versions < 1000 or args.cards < 30 or args.calls < 1 or args.later_page < 2:
        parser.error("need --versions >= 1000, --cards >= 30, --calls >= 1, --later-page >= 2")
    if args.src is not None and not (args.src / "cardinal").is_dir():
        parser.error(f"--src {args.src} holds no cardinal package")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if os.environ.get(SOURCE_ENV) is None:
        return run_on_source(args, sys.argv[1:] if argv is None else argv)
    import cardinal

    rb.log(f"measuring the code in {Path(cardinal.__file__).parent}")
    # Only ever talk to 127.0.0.1, never through a proxy.
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = f"{HOST},localhost"
    if args.backend != "sqlite":
        rb._require_local(args.postgres_url)

    def on_term(signum: int, _frame: Any) -> None:
        rb.STOP.set()
        raise SystemExit(128 + signum)  # unwinds through the clean-ups: server, database

    signal.signal(signal.SIGTERM, on_term)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    started = time.perf_counter()
    results = []
    for backend in backends:
        try:
            results.append(run_backend(backend, args))
        except rb.BenchFailure as error:
            failed = BackendResult(backend, "?", args.versions, args.cards, args.auth)
            failed.failures.append(str(error))
            results.append(failed)
    elapsed = time.perf_counter() - started

    report = render(results, args)
    print(report)
    arguments = vars(args) | {
        "postgres_url": make_url(args.postgres_url).render_as_string(),
        "src": str(args.src) if args.src else None,
    }
    facts = {
        "source": json.loads(Path(os.environ[SOURCE_ENV]).read_text()),
        "arguments": arguments,
        "goal_p95_ms": GOAL_P95_MS,
    }
    return rb.write_results("web-pages-", facts, elapsed, results)


if __name__ == "__main__":
    sys.exit(main())
