"""The page's HTTP side, without a browser: what is served, with which headers, and nothing else."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from drafter.api import page
from drafter.config import Settings
from drafter.model.testing import ScriptedModel
from tests.browser.conftest import build_app, grounded_reply

STATIC = Path(page.__file__).resolve().parent.parent / "static"


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(build_app(settings, ScriptedModel([grounded_reply()])))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def test_the_page_is_served_with_a_strict_csp(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_page_has_no_inline_script_or_style_and_no_outside_assets(client: TestClient) -> None:
    parser = _Tags()
    parser.feed(client.get("/").text)
    assert parser.script_text == []
    for tag, attrs in parser.tags:
        assert "style" not in attrs, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for key in ("src", "href"):
            ref = attrs.get(key)
            if ref and tag in ("script", "link"):
                assert ref.startswith("/static/"), ref
                assert client.get(ref).status_code == 200
    assert [t for t, _ in parser.tags if t == "style"] == []


@pytest.mark.parametrize(("name", "media"), [("app.js", "text/javascript"),
                                             ("app.css", "text/css")])
def test_assets_are_the_packaged_files(client: TestClient, name: str, media: str) -> None:
    r = client.get(f"/static/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert r.content == (STATIC / name).read_bytes()
    assert r.content == resources.files("drafter").joinpath("static", name).read_bytes()


@pytest.mark.parametrize("path", ["/static/index.html.bak", "/static/..%2Fapi%2Fpage.py",
                                  "/static/nope.js"])
def test_only_the_listed_assets_are_served(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_the_script_uses_only_the_public_api() -> None:
    script = (STATIC / "app.js").read_text()
    assert set(re.findall(r"[\"'](/v1/[a-z/]+)[\"']", script)) == {"/v1/drafts/stream",
                                                                    "/v1/score", "/v1/info"}
    assert "innerHTML" not in script and "outerHTML" not in script
    assert "insertAdjacentHTML" not in script and "eval(" not in script
    # No CDN, font service or any other origin.
    assert not re.search(r"https?://", script)
    assert not re.search(r"https?://", (STATIC / "app.css").read_text())
    assert not re.search(r"https?://", (STATIC / "index.html").read_text())


def test_the_page_is_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths
    assert not [p for p in paths if p.startswith("/static")]


def test_the_page_has_a_key_field_and_its_script_sends_the_key_from_session_storage(
        client: TestClient) -> None:
    # Without a browser: the browser test drives the same thing in Chromium.
    parser = _Tags()
    parser.feed(client.get("/").text)
    attrs = {a.get("id"): (t, a) for t, a in parser.tags if a.get("id")}
    tag, field = attrs["api-key"]
    assert tag == "input" and field["type"] == "password"
    assert any(t == "label" and a.get("for") == "api-key" for t, a in parser.tags)
    assert "hidden" in attrs["api-key-box"][1]  # shown only when the server needs a key
    script = client.get("/static/app.js").text
    assert 'headers["X-API-Key"] = key' in script
    # The key in sessionStorage only (localStorage keeps the sender's fields: see below).
    assert "sessionStorage.setItem(KEY_STORAGE" in script
    assert "localStorage.setItem(KEY_STORAGE" not in script
    assert "document.cookie" not in script


def test_case62_the_script_never_parses_markup() -> None:
    """Every value from the server reaches the page as text (textContent, text nodes, input
    values): the script has no way to turn a string into markup."""
    script = (STATIC / "app.js").read_text("utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                 "DOMParser", "createContextualFragment", "eval(", "new Function"):
        assert sink not in script, sink


def test_case61_the_script_keeps_only_the_sender_in_local_storage() -> None:
    """localStorage is written in one place, with the sender's profiles and the choice not to
    remember them; the API key goes to sessionStorage only."""
    script = (STATIC / "app.js").read_text("utf-8")
    assert script.count("localStorage.setItem(") == 1
    keys = set(re.findall(r'const (\w+_STORAGE) = "([^"]+)"', script))
    assert keys == {("KEY_STORAGE", "drafter.apiKey"), ("PROFILES_STORAGE", "drafter.profiles"),
                    ("REMEMBER_STORAGE", "drafter.remember")}
    assert "sessionStorage.setItem(KEY_STORAGE" in script
