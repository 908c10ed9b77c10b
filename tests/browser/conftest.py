"""Fixtures for the page's browser tests: the app on 127.0.0.1 in a thread, headless Chromium.

The browser is Debian's ``chromium`` package driven by Playwright for Python (no browser
download): ``apt-get install -y chromium`` and ``pip install playwright==1.63.0``. Without
either, the browser tests are skipped with the reason; the page's HTTP tests still run.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI

from drafter.api import page
from drafter.api.app import create_app
from drafter.config import Settings, env_flag
from drafter.model.protocol import CompletionRequest
from drafter.model.testing import EXAMPLE_LINE, ScriptedModel, line_number, reply_json
from tests.serving import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives the page in headless Chromium (Debian's chromium + Playwright)")


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def grounded_reply(containing: str = EXAMPLE_LINE,
                   **fields: str | int) -> Callable[[CompletionRequest], str]:
    """A reply quoting the evidence line with ``containing``, or line 1 when it was not chosen
    (an entitled goal changes which lines are picked)."""

    def reply(request: CompletionRequest) -> str:
        try:
            number = line_number(request, containing)
        except AssertionError:
            number = 1
        return reply_json(quote=number, **fields)(request)

    return reply


@dataclass
class LiveServer:
    url: str
    model: ScriptedModel  # its delay makes the page's progress visible
    app: FastAPI


def build_app(settings: Settings, model: ScriptedModel) -> FastAPI:
    app = create_app(settings, client=model)
    app.include_router(page.router)
    return app


# The key of the keyed server: the page and /docs tests type it where a user would.
API_KEY = "browser-key-7"


@pytest.fixture
def keyed_url(tmp_path: Path) -> Iterator[str]:
    """A server of its own with API keys on (the session server has none)."""
    from pydantic import SecretStr

    settings = Settings(model="fake/scripted", cache_dir=tmp_path, max_repairs=1,
                        api_keys=SecretStr(API_KEY))
    with serve(build_app(settings, ScriptedModel([grounded_reply()]))) as url:
        yield url


@pytest.fixture
def history_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server that keeps drafts: API keys on and a real SQLite history database of its own
    (``DRAFTER_API_HISTORY_URL``), so ``/v1/drafts`` lists, opens, marks and deletes."""
    from pydantic import SecretStr

    settings = Settings(model="fake/scripted", cache_dir=tmp_path / "cache", max_repairs=1,
                        api_keys=SecretStr(API_KEY), rate_limit_per_minute=0,
                        api_history_url=SecretStr(f"sqlite:///{tmp_path / 'api.sqlite3'}"))
    model = ScriptedModel([grounded_reply()])
    app = build_app(settings, model)
    try:
        with serve(app) as url:
            yield LiveServer(url=url, model=model, app=app)
    finally:
        # The test server runs without a lifespan: close the database the app opened.
        app.state.history.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # One server for the whole session, one browser address: the page asks /v1/info on every
    # load and rescores as you type, so the default per-address limit (burst 10, 60 a minute)
    # turned later tests' drafts into 429s on a fast machine. Limits are tested on their own
    # (tests/hardening); here they are off.
    settings = Settings(model="fake/scripted", cache_dir=tmp_path_factory.mktemp("cache"),
                        max_repairs=1, rate_limit_per_minute=0)
    model = ScriptedModel([grounded_reply()])
    app = build_app(settings, model)
    with serve(app) as url:
        yield LiveServer(url=url, model=model, app=app)


@pytest.fixture
def server(live_server: LiveServer) -> LiveServer:
    """The running server with its scripted model reset to a good, fast reply."""
    live_server.model.replies = [grounded_reply()]
    live_server.model.requests.clear()
    live_server.model.delay = 0.0
    return live_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope, not session: Playwright's sync API keeps an event loop marked as running
    # in the main thread while it is started, and the project's async tests need it stopped.
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install playwright==1.63.0")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class PageProblems:
    console_errors: list[str]
    page_errors: list[str]


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems(console_errors=[], page_errors=[])


@pytest.fixture
def make_page(browser: Browser, server: LiveServer,
              problems: PageProblems) -> Iterator[Callable[..., Page]]:
    """Open the page in a fresh browser context; afterwards assert it logged no script error
    and no Content-Security-Policy violation."""
    contexts: list[Any] = []

    def open_page(width: int = 1280, height: int = 900, path: str = "/",
                  permissions: list[str] | None = None, base: str | None = None) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      permissions=permissions or [])
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(10_000)

        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                problems.console_errors.append(msg.text)

        pg.on("console", on_console)
        pg.on("pageerror", lambda exc: problems.page_errors.append(str(exc)))
        pg.goto((base or server.url) + path)
        return pg

    yield open_page
    for context in contexts:
        context.close()
    assert problems.page_errors == []
    # A failed fetch (a 4xx/5xx the page reports) logs "Failed to load resource"; anything else,
    # a CSP violation above all, is a defect.
    unexpected = [m for m in problems.console_errors if "Failed to load resource" not in m]
    assert unexpected == []


def save_screenshot(pg: Page, name: str) -> Path:
    """Screenshots go to a temporary folder; DRAFTER_UPDATE_SCREENSHOTS=1 refreshes the
    committed ones in docs/screenshots (so test runs leave the tree clean)."""
    folder = SCREENSHOTS if env_flag("DRAFTER_UPDATE_SCREENSHOTS") else Path(
        tempfile.gettempdir()) / "drafter-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    pg.screenshot(path=str(path), full_page=True)
    return path
