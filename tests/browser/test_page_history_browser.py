"""The page remembers the sender and shows the drafts a server keeps (issue 16), in Chromium.

The sender's fields live in this browser's localStorage until "Forget me"; the drafts live on
the server (a real SQLite history database behind ``/v1/drafts``, drafts made through the API
with a scripted model), listed, opened, marked and deleted from the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.browser.conftest import API_KEY, LiveServer, grounded_reply, save_screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pw = pytest.importorskip("playwright.sync_api",
                         reason="Playwright is not installed: pip install playwright==1.63.0")
expect = pw.expect

pytestmark = pytest.mark.browser

OpenPage = Callable[..., "Page"]
HOSTILE = '<img src=x onerror="window.__pwned=1">'
SENDER = {"name": "Sam Ortiz", "about": "data engineer at a logistics company",
          "offer": "my benchmark on 2 TB of skewed logs"}


def sender_form(pg: Page) -> Locator:
    return pg.locator("#sender-fieldset")


def fill_sender(pg: Page, sender: dict[str, str]) -> None:
    form = sender_form(pg)
    form.get_by_label("Your name").fill(sender["name"])
    form.get_by_label("Who you are, in one line").fill(sender["about"])
    form.get_by_label("What you can give first").fill(sender["offer"])


def sender_values(pg: Page) -> dict[str, str]:
    form = sender_form(pg)
    return {"name": form.get_by_label("Your name").input_value(),
            "about": form.get_by_label("Who you are, in one line").input_value(),
            "offer": form.get_by_label("What you can give first").input_value()}


def local_storage(pg: Page) -> str:
    return str(pg.evaluate("JSON.stringify(Object.entries(localStorage))"))


def api_draft(server: LiveServer, data: dict[str, Any], name: str) -> int:
    """One draft made through the API with the server's key; its kept id."""
    body = json.loads(json.dumps(data))
    body["recipient"]["name"] = name
    r = httpx.post(f"{server.url}/v1/drafts", json=body, headers={"X-API-Key": API_KEY},
                   timeout=30)
    assert r.status_code == 200, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def kept_ids(server: LiveServer) -> list[int]:
    r = httpx.get(f"{server.url}/v1/drafts", headers={"X-API-Key": API_KEY}, timeout=30)
    assert r.status_code == 200, r.text
    return [d["id"] for d in r.json()["drafts"]]


def open_history(pg: Page) -> None:
    """Show "My drafts" with the key typed where a user types it."""
    pg.get_by_role("tab", name="My drafts").click()
    key = pg.get_by_label("API key")
    if key.input_value() != API_KEY:
        key.fill(API_KEY)
        key.press("Tab")


def history_items(pg: Page) -> Locator:
    return pg.locator("#history-list .history-item")


# ---------------------------------------------------------------------------- the profile


def test_case61_the_sender_is_remembered_after_a_reload_and_forgotten_on_request(
        make_page: OpenPage, example_data: dict[str, Any]) -> None:
    pg = make_page()
    fill_sender(pg, SENDER)
    pg.get_by_label("Your goal").fill(example_data["goal"])
    pg.get_by_label("Text (work 1)").fill(example_data["recipient"]["works"][0]["text"])
    pg.locator("#draft-form").get_by_label("Their name").fill("Dana Li")
    stored = local_storage(pg)
    assert SENDER["about"] in stored
    # Only the sender's three fields: not the goal, the work or the recipient.
    assert example_data["goal"] not in stored and "Dana Li" not in stored
    assert "tidyframe" not in stored

    pg.reload()
    assert sender_values(pg) == SENDER
    expect(pg.get_by_label("Your goal")).to_have_value("")
    expect(pg.get_by_label("Remember my name, my line and my offer on this browser")
           ).to_be_checked()

    forget = pg.get_by_role("button", name="Forget me on this browser")
    expect(forget).to_be_visible()
    forget.click()
    assert sender_values(pg) == {"name": "", "about": "", "offer": ""}
    expect(pg.locator("#remember-status")).to_contain_text("Forgotten")
    assert SENDER["name"] not in local_storage(pg)
    assert pg.evaluate("localStorage.getItem('drafter.profiles')") is None
    # Forgotten stays forgotten: typing again stores nothing until "Remember" is ticked.
    sender_form(pg).get_by_label("Your name").fill("Sam Again")
    pg.reload()
    assert sender_values(pg) == {"name": "", "about": "", "offer": ""}
    remember = pg.get_by_label("Remember my name, my line and my offer on this browser")
    expect(remember).not_to_be_checked()
    remember.check()
    fill_sender(pg, SENDER)
    pg.reload()
    assert sender_values(pg) == SENDER


def test_named_profiles_each_keep_their_own_sender(make_page: OpenPage) -> None:
    pg = make_page()
    fill_sender(pg, SENDER)
    pg.get_by_label("New profile's name").fill("side project")
    pg.get_by_role("button", name="Add profile").click()
    expect(sender_form(pg).get_by_label("Your name")).to_be_focused()
    assert sender_values(pg) == {"name": "", "about": "", "offer": ""}
    side = {"name": "Sam O.", "about": "maintainer of a small CSV linter",
            "offer": "a fix for the quoting bug in your parser"}
    fill_sender(pg, side)

    pg.reload()
    profile = pg.get_by_label("Profile", exact=True)
    expect(profile).to_have_value("side project")
    assert sender_values(pg) == side
    profile.select_option("default")
    assert sender_values(pg) == SENDER
    profile.select_option("side project")
    pg.get_by_role("button", name="Remove this profile").click()
    expect(profile.locator("option")).to_have_count(1)
    assert sender_values(pg) == SENDER
    pg.reload()
    assert sender_values(pg) == SENDER
    assert side["about"] not in local_storage(pg)


# ---------------------------------------------------------------------------- the history


def test_my_drafts_lists_opens_marks_and_deletes_kept_drafts(
        make_page: OpenPage, history_server: LiveServer, example_data: dict[str, Any]) -> None:
    dana = api_draft(history_server, example_data, "Dana Li")
    mei = api_draft(history_server, example_data, "Mei Chen")
    pg = make_page(base=history_server.url)
    open_history(pg)

    items = history_items(pg)
    expect(items).to_have_count(2)
    expect(items.nth(0).get_by_role("heading")).to_contain_text("Mei Chen")  # newest first
    expect(items.nth(1).get_by_role("heading")).to_contain_text("Dana Li")
    expect(items.nth(1)).to_contain_text(example_data["goal"])
    expect(items.nth(1).locator(".history-outcome")).to_have_text("Outcome: not marked yet")
    expect(pg.locator("#history-off")).to_be_hidden()

    # Open one: the kept draft, as the API returned it.
    stored = httpx.get(f"{history_server.url}/v1/drafts/{dana}",
                       headers={"X-API-Key": API_KEY}, timeout=30).json()
    items.nth(1).get_by_role("button", name=re.compile("^Open")).click()
    entry = pg.locator("#history-entry")
    expect(entry.get_by_role("heading", name="To Dana Li")).to_be_focused()
    expect(entry.get_by_label("Message")).to_have_value(stored["result"]["drafts"][0]["body"])
    expect(entry.get_by_label("Subject")).to_have_value(stored["result"]["drafts"][0]["subject"])

    # Mark it: the outcome route stores it; a reload shows it in the list and on the entry.
    with pg.expect_request(f"**/v1/drafts/{dana}/outcome") as sent:
        entry.get_by_role("button", name="Replied").click()
    assert json.loads(sent.value.post_data or "{}") == {"outcome": "replied"}
    expect(entry.get_by_role("button", name="Replied")).to_have_attribute("aria-pressed", "true")
    expect(items.nth(1).locator(".history-outcome")).to_have_text("Outcome: Replied")
    pg.reload()
    expect(pg.get_by_role("tab", name="My drafts")).to_have_attribute("aria-selected", "true")
    items = history_items(pg)
    expect(items.nth(1).locator(".history-outcome")).to_have_text("Outcome: Replied")
    expect(items.nth(0).locator(".history-outcome")).to_have_text("Outcome: not marked yet")
    items.nth(1).get_by_role("button", name=re.compile("^Open")).click()
    expect(entry.get_by_role("button", name="Replied")).to_have_attribute("aria-pressed", "true")
    expect(entry.get_by_role("button", name="Sent")).to_have_attribute("aria-pressed", "false")
    pg.evaluate("window.scrollTo(0, 0)")
    assert save_screenshot(pg, "history.png").stat().st_size > 20_000

    # Delete one: asked first; "Keep it" keeps it; then it is gone from the server.
    mei_item = items.nth(0)
    mei_item.get_by_role("button", name=re.compile("^Delete")).click()
    mei_item.get_by_role("button", name="Keep it").click()
    assert kept_ids(history_server) == [mei, dana]
    mei_item.get_by_role("button", name=re.compile("^Delete")).click()
    mei_item.get_by_role("button", name="Delete for good").click()
    expect(history_items(pg)).to_have_count(1)
    expect(pg.locator("#history-status")).to_contain_text("The draft to Mei Chen is deleted")
    assert kept_ids(history_server) == [dana]
    pg.reload()
    expect(history_items(pg)).to_have_count(1)
    expect(history_items(pg).first.get_by_role("heading")).to_contain_text("Dana Li")


def test_a_draft_made_on_the_page_is_listed_in_my_drafts(
        make_page: OpenPage, history_server: LiveServer, example_data: dict[str, Any]) -> None:
    pg = make_page(base=history_server.url)
    pg.get_by_label("API key").fill(API_KEY)
    form = pg.locator("#draft-form")
    form.get_by_label("Their name").fill("Dana Li")
    form.get_by_label("Text (work 1)").fill(example_data["recipient"]["works"][0]["text"])
    fill_sender(pg, SENDER)
    form.get_by_label("Your goal").fill(example_data["goal"])
    pg.get_by_role("button", name="Draft", exact=True).click()
    expect(pg.locator("article.draft")).to_have_count(1)
    open_history(pg)
    expect(history_items(pg)).to_have_count(1)
    expect(history_items(pg).first).to_contain_text("Dana Li")


def test_without_a_key_my_drafts_says_where_to_type_it(
        make_page: OpenPage, history_server: LiveServer, example_data: dict[str, Any]) -> None:
    api_draft(history_server, example_data, "Dana Li")
    pg = make_page(base=history_server.url, path="/#history")
    expect(pg.locator("#history-error")).to_contain_text("type it into the API key field")
    expect(history_items(pg)).to_have_count(0)
    open_history(pg)
    expect(history_items(pg)).to_have_count(1)
    expect(pg.locator("#history-error")).to_be_hidden()


def test_a_server_without_history_says_so_plainly(make_page: OpenPage,
                                                  server: LiveServer) -> None:
    pg = make_page(path="/#history")
    off = pg.locator("#history-off")
    expect(off).to_be_visible()
    expect(off.get_by_role("heading")).to_have_text("This server keeps no drafts")
    expect(off).to_contain_text("DRAFTER_API_HISTORY_URL")
    expect(pg.locator("#history-status")).to_have_text("This server keeps no drafts.")
    expect(pg.locator("#history-error")).to_be_hidden()
    expect(pg.locator("#history-list-box")).to_be_hidden()


def test_case62_kept_drafts_are_shown_as_text_never_as_markup(
        make_page: OpenPage, history_server: LiveServer, example_data: dict[str, Any]) -> None:
    history_server.model.replies = [grounded_reply(subject=f"{HOSTILE} groupby")]
    example_data["recipient"]["headline"] = f"maintainer {HOSTILE}"
    example_data["goal"] = f"{example_data['goal']} {HOSTILE}"
    api_draft(history_server, example_data, "Dana <b>Li</b>")
    pg = make_page(base=history_server.url)
    open_history(pg)
    item = history_items(pg).first
    expect(item.get_by_role("heading")).to_contain_text("Dana <b>Li</b>")
    expect(item).to_contain_text(HOSTILE)
    item.get_by_role("button", name=re.compile("^Open")).click()
    entry = pg.locator("#history-entry")
    expect(entry.get_by_label("Subject")).to_have_value(f"{HOSTILE} groupby")
    expect(entry).to_contain_text(f"maintainer {HOSTILE}")
    expect(entry.get_by_role("heading", name="To Dana <b>Li</b>")).to_be_visible()
    panel = pg.locator("#panel-history")
    expect(panel.locator("img")).to_have_count(0)
    expect(panel.locator("b")).to_have_count(0)
    assert pg.evaluate("window.__pwned") is None


def test_my_drafts_pages_on_to_older_drafts(
        make_page: OpenPage, history_server: LiveServer, example_data: dict[str, Any]) -> None:
    for n in range(21):  # one more than a page (20)
        api_draft(history_server, example_data, f"Person {n:02d}")
    pg = make_page(base=history_server.url)
    open_history(pg)
    expect(history_items(pg)).to_have_count(20)
    expect(history_items(pg).first.get_by_role("heading")).to_contain_text("Person 20")
    more = pg.get_by_role("button", name="Show older drafts")
    more.click()
    expect(history_items(pg)).to_have_count(21)
    expect(history_items(pg).last.get_by_role("heading")).to_contain_text("Person 00")
    expect(more).to_be_hidden()
    expect(pg.locator("#history-status")).to_have_text("21 drafts shown.")
