"""The page as a person uses it: headless Chromium against the app on 127.0.0.1.

The model is scripted (drafter.model.testing), so every draft is known; everything else, the
API, the pipeline, the rubric and the page, is the real thing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from drafter.errors import ModelUnavailable
from tests.browser.conftest import API_KEY, LiveServer, grounded_reply, save_screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Request

pw = pytest.importorskip("playwright.sync_api",
                         reason="Playwright is not installed: pip install playwright==1.63.0")
expect = pw.expect

pytestmark = pytest.mark.browser

OpenPage = Callable[..., "Page"]

ENTITLED_GOAL = "get her to introduce me to her investors"


def draft_form(pg: Page) -> Locator:
    return pg.locator("#draft-form")


def coach_form(pg: Page) -> Locator:
    return pg.locator("#coach-form")


def fill_draft_form(pg: Page, data: dict[str, Any]) -> None:
    form = draft_form(pg)
    recipient, sender = data["recipient"], data["sender"]
    form.get_by_label("Their name").fill(recipient["name"])
    form.get_by_label("Their headline").fill(recipient.get("headline", ""))
    work = recipient["works"][0]
    form.get_by_label("Title (work 1)").fill(work.get("title", ""))
    form.get_by_label("Text (work 1)").fill(work.get("text", ""))
    form.get_by_label("Your name").fill(sender["name"])
    form.get_by_label("Who you are, in one line").fill(sender["about"])
    form.get_by_label("What you can give first").fill(sender.get("offer", ""))
    form.get_by_label("Your goal").fill(data["goal"])
    form.get_by_label("Channel").select_option(data.get("channel", "email"))
    form.get_by_label("Tone").select_option(data.get("tone") or "")
    form.get_by_label("Drafts to write").select_option(str(data.get("variants", 1)))


def draft(pg: Page) -> None:
    pg.get_by_role("button", name="Draft", exact=True).click()


# ---------------------------------------------------------------------------- draft mode


def test_draft_shows_the_drafts_with_references_checks_and_score(
        make_page: OpenPage, server: LiveServer, example_data: dict[str, Any]) -> None:
    server.model.replies = [
        grounded_reply(),
        grounded_reply("If you have workloads with unusual key distributions",
                       subject="Skewed keys for the new groupby"),
    ]
    example_data["variants"] = 2
    pg = make_page()
    fill_draft_form(pg, example_data)
    draft(pg)

    cards = pg.locator("article.draft")
    expect(cards).to_have_count(2)
    assert len(server.model.requests) == 2
    work_text = example_data["recipient"]["works"][0]["text"]
    title = example_data["recipient"]["works"][0]["title"]
    for i in range(2):
        card = cards.nth(i)
        body = card.get_by_label("Message (you can edit it)").input_value()
        assert body.startswith("Hi Dana,") and body.rstrip().endswith("Sam Ortiz")
        assert card.get_by_label("Subject").input_value()
        # Each reference is a verbatim quote from the work, with the work it came from.
        quote = card.locator(".references blockquote").first.inner_text()
        assert quote and quote in work_text and quote in body
        expect(card.locator(".references .source").first).to_contain_text(title)
        # The checks, passed or failed, with their detail.
        expect(card.locator(".checks li")).not_to_have_count(0)
        grounded = card.locator(".checks li", has_text="Grounded quote")
        expect(grounded).to_have_class(re.compile(r"\bok\b"))
        expect(card.locator(".checks li", has_text="Within limit")).to_contain_text(
            "of 2000 characters")
        # The score card summary and the live count against the channel's limit.
        expect(card.locator(".score .overall")).to_contain_text("Acceptable")
        expect(card.locator(".score .dimensions li")).to_have_count(6)
        count = card.locator(".counter")
        expect(count).to_contain_text(f"{len(body)} / 2000 characters")
        expect(count).not_to_have_class(re.compile(r"\bover\b"))
    quotes = {cards.nth(i).locator(".references blockquote").first.inner_text() for i in range(2)}
    assert len(quotes) == 2, "the two variants quote different lines"
    # A proportionate goal: what drafter understood, as a quiet note; drafts side by side.
    note = pg.locator(".assessment")
    expect(note.get_by_role("heading")).to_have_text("Your goal")
    expect(note.locator(".plan")).to_contain_text("How do you approach performance regressions?")
    expect(note.locator(".first-steps")).to_have_count(0)
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first and second and second["x"] > first["x"] + first["width"] - 1
    assert abs(second["y"] - first["y"]) < 2
    expect(pg.locator("#draft-status")).to_have_text("2 drafts ready.")


def test_what_the_page_sends_is_the_form(make_page: OpenPage, server: LiveServer,
                                         example_data: dict[str, Any]) -> None:
    pg = make_page()
    fill_draft_form(pg, example_data)
    with pg.expect_request("**/v1/drafts/stream") as info:
        draft(pg)
    sent = json.loads(info.value.post_data or "{}")
    assert sent == example_data
    expect(pg.locator("article.draft")).to_have_count(1)


def test_progress_is_shown_while_the_model_works(make_page: OpenPage, server: LiveServer,
                                                 example_data: dict[str, Any]) -> None:
    server.model.delay = 2.2
    pg = make_page()
    fill_draft_form(pg, example_data)
    button = pg.get_by_role("button", name=re.compile("^Draft"))
    draft(pg)
    expect(button).to_be_disabled()
    expect(pg.locator("#draft-progress progress")).to_be_visible()
    expect(pg.locator("#draft-status")).to_contain_text("Drafting")
    # The stage drafter is at, as the stream says it (issue 17), while the model works.
    expect(pg.locator("#draft-stage")).to_have_text("Writing draft 1 of 1 with fake/scripted…")
    expect(pg.locator("#draft-elapsed")).to_have_text(re.compile(r"^[12]$"), timeout=3000)
    expect(pg.locator("article.draft")).to_have_count(1, timeout=10_000)
    expect(button).to_be_enabled()
    expect(pg.locator("#draft-progress")).to_be_hidden()


def test_an_entitled_goal_shows_the_assessment_first(make_page: OpenPage, server: LiveServer,
                                                     example_data: dict[str, Any]) -> None:
    server.model.replies = [
        grounded_reply(),
        grounded_reply("If you have workloads with unusual key distributions",
                       subject="Skewed keys for the new groupby"),
    ]
    example_data["goal"] = ENTITLED_GOAL
    example_data["variants"] = 2
    pg = make_page(height=1000)
    fill_draft_form(pg, example_data)
    draft(pg)

    assessment = pg.locator(".assessment")
    expect(assessment).to_be_visible()
    expect(assessment.get_by_role("heading")).to_have_text("Your goal asks a lot of a stranger")
    expect(assessment.locator(".reasons li").first).to_contain_text("introduction")
    steps = assessment.locator(".first-steps .step")
    expect(steps.first).to_have_attribute("aria-pressed", "true")
    assert steps.count() >= 2
    expect(pg.locator("article.draft")).to_have_count(2)
    # First: before the drafts in the page and on the screen, and it has the focus.
    box = assessment.bounding_box()
    card = pg.locator("article.draft").first.bounding_box()
    assert box and card and box["y"] + box["height"] <= card["y"]
    assert pg.evaluate("document.activeElement.id") == "assessment-heading"
    # The drafts pursue the first step, not the introduction.
    for body in pg.locator("article.draft textarea").all():
        assert "introduce" not in body.input_value()
        assert "investor" not in body.input_value()
    pg.evaluate("window.scrollTo(0, 0)")
    path = save_screenshot(pg, "draft.png")
    assert path.stat().st_size > 20_000
    # Another rung redrafts with it.
    with pg.expect_request("**/v1/drafts/stream") as info:
        steps.nth(1).click()
    assert json.loads(info.value.post_data or "{}")["first_step"] == 1
    expect(assessment.locator(".first-steps .step").nth(1)).to_have_attribute(
        "aria-pressed", "true")


def test_with_nothing_to_give_the_page_offers_ideas_never_an_offer(
        make_page: OpenPage, server: LiveServer, example_data: dict[str, Any]) -> None:
    example_data["sender"].pop("offer", None)
    pg = make_page()
    fill_draft_form(pg, example_data)
    draft(pg)
    ideas = pg.locator(".assessment .offer-ideas button")
    expect(ideas).to_have_count(3)
    card = pg.locator("article.draft").first
    expect(card.locator(".checks li", has_text="Has offer")).to_contain_text("never invents")
    first = ideas.first.inner_text()
    ideas.first.click()
    expect(pg.get_by_label("What you can give first")).to_have_value(first)


def test_the_count_turns_red_over_the_channel_limit(make_page: OpenPage, server: LiveServer,
                                                    example_data: dict[str, Any]) -> None:
    pg = make_page()
    fill_draft_form(pg, example_data)
    draft(pg)
    body = pg.locator("article.draft textarea").first
    count = pg.locator("article.draft .counter").first
    expect(count).to_contain_text("/ 2000 characters")
    body.fill("word " * 420)
    expect(count).to_contain_text("2100 / 2000 characters · 420 words · 100 over the limit")
    expect(count).to_have_class(re.compile(r"\bover\b"))
    color = count.evaluate("e => getComputedStyle(e).color")
    assert color == "rgb(179, 38, 30)"
    body.fill("Short and sweet.")
    expect(count).to_have_text("16 / 2000 characters · 3 words")
    expect(count).not_to_have_class(re.compile(r"\bover\b"))


def test_copy_puts_the_edited_message_on_the_clipboard(
        make_page: OpenPage, server: LiveServer, example_data: dict[str, Any]) -> None:
    pg = make_page(permissions=["clipboard-read", "clipboard-write"])
    fill_draft_form(pg, example_data)
    draft(pg)
    body = pg.locator("article.draft textarea").first
    body.press("End")
    edited = body.input_value() + "\nP.S. Thanks for tidyframe."
    body.fill(edited)
    pg.get_by_role("button", name="Copy message").click()
    expect(pg.locator(".copy-status")).to_have_text("Copied to the clipboard.")
    assert pg.evaluate("navigator.clipboard.readText()") == edited


def test_copy_falls_back_without_the_clipboard_api(
        make_page: OpenPage, server: LiveServer, example_data: dict[str, Any]) -> None:
    pg = make_page()
    pg.add_init_script("""
        Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});
        document.addEventListener('copy', () => {
            const t = document.activeElement;
            window.__copied = t.value.slice(t.selectionStart, t.selectionEnd);
        });
    """)
    pg.reload()
    assert pg.evaluate("navigator.clipboard === undefined")
    fill_draft_form(pg, example_data)
    draft(pg)
    pg.get_by_role("button", name="Copy message").click()
    expect(pg.locator(".copy-status")).to_have_text("Copied to the clipboard.")
    body = pg.locator("article.draft textarea").first.input_value()
    assert pg.evaluate("window.__copied") == body


# ---------------------------------------------------------------------------- errors


def test_a_url_work_that_cannot_be_used_shows_the_error_at_the_field(
        make_page: OpenPage, server: LiveServer, example_data: dict[str, Any]) -> None:
    # A private address: refused before any connection (the live server fetches URLs), a 422
    # naming recipient.works[0].url, and no model call.
    pg = make_page()
    example_data["recipient"]["works"][0]["text"] = ""
    fill_draft_form(pg, example_data)
    url = draft_form(pg).get_by_label("Or its URL (work 1)")
    url.fill("http://127.0.0.1:9/faster-groupby")
    draft(pg)
    error = pg.locator("#draft-error")
    expect(error).to_be_visible()
    expect(error.locator(".error-title")).to_have_text("That URL is not allowed")
    expect(error.locator(".error-list li")).to_contain_text("Work 1, or its url:")
    expect(url).to_have_attribute("aria-invalid", "true")
    field_error = pg.locator("#work-0-url-error")
    expect(field_error).to_be_visible()
    assert len(field_error.inner_text().strip()) > 10
    assert "work-0-url-error" in (url.get_attribute("aria-describedby") or "")
    expect(pg.locator("article.draft")).to_have_count(0)
    assert server.model.requests == []


def test_an_empty_form_names_each_missing_field(make_page: OpenPage, server: LiveServer) -> None:
    pg = make_page()
    draft(pg)
    expect(pg.locator("#draft-error")).to_contain_text("The request is invalid")
    # The focus moves to the first field at fault.
    assert pg.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    for label in ("Their name", "Your name", "Who you are, in one line", "Your goal",
                  "Text (work 1)"):
        field = draft_form(pg).get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        described = (field.get_attribute("aria-describedby") or "").split()
        errors = [i for i in described if i.endswith("-error")]
        assert errors, label
        expect(pg.locator(f"#{errors[0]}")).to_be_visible()
    # Fixing the form and drafting again clears the errors.
    draft_form(pg).get_by_label("Their name").fill("Dana Li")
    draft(pg)
    expect(draft_form(pg).get_by_label("Their name")).not_to_have_attribute("aria-invalid", "true")
    assert server.model.requests == []


def test_an_unavailable_model_shows_a_readable_message(
        make_page: OpenPage, server: LiveServer, example_data: dict[str, Any]) -> None:
    server.model.replies = [ModelUnavailable(
        "the model provider is not answering; check DRAFTER_MODEL or try again in a minute")]
    pg = make_page()
    fill_draft_form(pg, example_data)
    draft(pg)
    error = pg.locator("#draft-error")
    expect(error).to_contain_text("The model provider is unavailable")
    expect(error).to_contain_text("check DRAFTER_MODEL or try again in a minute")
    expect(error).to_contain_text("Request id:")
    expect(pg.get_by_role("alert")).to_be_visible()
    expect(pg.get_by_role("button", name="Draft", exact=True)).to_be_enabled()
    expect(pg.locator("#draft-results")).to_be_hidden()
    # The form keeps what was typed.
    expect(pg.get_by_label("Your goal")).to_have_value(example_data["goal"])


def test_unusable_model_output_shows_a_readable_message(
        make_page: OpenPage, server: LiveServer, example_data: dict[str, Any]) -> None:
    server.model.replies = ["<html>not json at all</html>"]
    pg = make_page()
    fill_draft_form(pg, example_data)
    draft(pg)
    error = pg.locator("#draft-error")
    expect(error).to_contain_text("The model's reply could not be used")
    assert "not json at all" not in pg.content()


def test_a_network_failure_shows_a_message(make_page: OpenPage, server: LiveServer,
                                           example_data: dict[str, Any]) -> None:
    pg = make_page()
    pg.route("**/v1/drafts/stream", lambda route: route.abort("connectionrefused"))
    fill_draft_form(pg, example_data)
    draft(pg)
    expect(pg.locator("#draft-error")).to_contain_text("Could not reach drafter")
    expect(pg.get_by_role("button", name="Draft", exact=True)).to_be_enabled()


def test_a_stream_that_ends_without_a_draft_says_so(make_page: OpenPage, server: LiveServer,
                                                    example_data: dict[str, Any]) -> None:
    stage = 'event: stage\ndata: {"stage":"context","message":"reading their work"}\n\n'
    pg = make_page()
    pg.route("**/v1/drafts/stream", lambda route: route.fulfill(
        status=200, content_type="text/event-stream", body=stage))
    fill_draft_form(pg, example_data)
    draft(pg)
    expect(pg.locator("#draft-error")).to_contain_text("ended before the draft was ready")
    expect(pg.get_by_role("button", name="Draft", exact=True)).to_be_enabled()


def test_a_non_json_error_page_still_reads_well(make_page: OpenPage, server: LiveServer,
                                                example_data: dict[str, Any]) -> None:
    pg = make_page()
    pg.route("**/v1/drafts/stream", lambda route: route.fulfill(
        status=502, content_type="text/html", body="<h1>Bad gateway</h1>"))
    fill_draft_form(pg, example_data)
    draft(pg)
    expect(pg.locator("#draft-error")).to_contain_text("HTTP 502")
    expect(pg.locator("#draft-error h1")).to_have_count(0)


# ---------------------------------------------------------------------------- coach mode


def open_coach(pg: Page) -> None:
    pg.get_by_role("tab", name="Coach my message").click()
    expect(pg.get_by_label("Your message")).to_be_visible()


def test_coach_highlights_the_words_behind_a_finding(make_page: OpenPage,
                                                     server: LiveServer) -> None:
    pg = make_page()
    open_coach(pg)
    message = "Hi! Can you please refer me?"
    pg.get_by_label("Your message").fill(message)
    marks = pg.locator("#coach-marked mark")
    expect(marks).to_have_count(1)
    expect(marks.first).to_have_text("refer me")
    expect(marks.first).to_have_class(re.compile(r"\bhl-fail\b"))
    # The whole message is there, as text, with the mark in place.
    assert pg.locator("#coach-marked").evaluate(
        "e => Array.from(e.childNodes).filter(n => !(n.classList && "
        "(n.classList.contains('hl-ref') || n.classList.contains('sr-only'))))"
        ".map(n => n.textContent).join('')") == message
    finding_id = marks.first.get_attribute("data-findings")
    finding = pg.locator(f"#finding-{finding_id}")
    expect(finding).to_contain_text("Asks a stranger to vouch for you with a referral.")
    expect(finding.locator(".finding-words")).to_contain_text("refer me")
    expect(finding.locator(".finding-fix")).to_contain_text(
        "Fix: Drop the referral; offer something useful about their work")
    expect(pg.locator("#coach-overall")).to_contain_text("Asks too much")
    expect(pg.locator("#coach-overall .next-step")).to_contain_text(
        "The one change that helps most")
    # Focusing a finding outlines its words.
    finding.focus()
    expect(marks.first).to_have_class(re.compile(r"\bactive\b"))


def test_coach_rescores_as_you_edit(make_page: OpenPage, server: LiveServer) -> None:
    pg = make_page(path="/#coach")
    expect(pg.get_by_label("Your message")).to_be_visible()
    score_calls: list[Request] = []
    pg.on("request", lambda r: score_calls.append(r) if r.url.endswith("/v1/score") else None)
    box = pg.get_by_label("Your message")
    box.fill("Hi! Can you please refer me?")
    expect(pg.locator("#coach-marked mark")).to_have_text(["refer me"])
    expect(pg.locator("#coach-overall")).to_contain_text("Asks too much")

    box.fill("")
    typed = ("Hi Dana, I'm Sam, a data engineer. I ran the new groupby on 2 TB of skewed keys "
             "and can send you the results. How do you notice a slowdown?\n\nSam")
    calls_before = len(score_calls)
    box.press_sequentially(typed[:40], delay=15)
    box.fill(typed)
    expect(pg.locator("#coach-marked")).to_contain_text("How do you notice a slowdown?")
    expect(pg.locator("#coach-marked mark", has_text="refer me")).to_have_count(0)
    expect(pg.locator("#coach-overall")).not_to_contain_text("Asks too much")
    pg.wait_for_timeout(500)
    # Debounced: a burst of 40 keystrokes does not send 40 requests.
    assert 1 <= len(score_calls) - calls_before < 10


def test_coach_renders_pasted_markup_as_text(make_page: OpenPage, server: LiveServer) -> None:
    pg = make_page(path="/#coach")
    hostile = '<img src=x onerror="window.__pwned=1"><b>Hi</b>! Can you please refer me?'
    pg.get_by_label("Your message").fill(hostile)
    expect(pg.locator("#coach-marked mark")).to_have_text(["refer me"])
    expect(pg.locator("#coach-marked img")).to_have_count(0)
    expect(pg.locator("#coach-marked b")).to_have_count(0)
    expect(pg.locator("#coach-marked")).to_contain_text('<img src=x onerror="window.__pwned=1">')
    assert pg.evaluate("window.__pwned") is None


def test_coach_offsets_survive_emoji_and_leading_space(make_page: OpenPage,
                                                       server: LiveServer) -> None:
    pg = make_page(path="/#coach")
    pg.get_by_label("Your message").fill("\n  Hi 👋🏽 there! 🙂 Can you please refer me?  ")
    expect(pg.locator("#coach-marked mark")).to_have_text(["refer me"])


def test_coach_shows_the_channel_limit(make_page: OpenPage, server: LiveServer) -> None:
    pg = make_page(path="/#coach")
    coach_form(pg).get_by_label("Channel").select_option("linkedin_note")
    pg.get_by_label("Free LinkedIn account (200 characters)").check()
    pg.get_by_label("Your message").fill("Hello there, I enjoyed your talk. " * 8)
    expect(pg.locator("#coach-overall .limit")).to_contain_text("of 200 characters allowed")
    expect(pg.locator("#coach-overall .limit")).to_have_class(re.compile(r"\bover\b"))
    expect(pg.locator("#c-counter")).to_have_class(re.compile(r"\bover\b"))


def test_coach_screenshot_with_a_real_message(make_page: OpenPage, server: LiveServer,
                                              example_data: dict[str, Any]) -> None:
    pg = make_page(height=1000, path="/#coach")
    pg.get_by_label("Subject (email only)").fill("Quick favour")
    coach_form(pg).get_by_label("Your name").fill("Sam Ortiz")
    coach_form(pg).get_by_label("Their name").fill("Dana Li")
    pg.get_by_label("Their public work (optional)").fill(
        example_data["recipient"]["works"][0]["text"])
    pg.get_by_label("Your message").fill(
        "Hi Dana,\n\nI loved your post about performance! I'm looking for a job on your team. "
        "Can you please refer me to your hiring manager? I just need 30 minutes of your time "
        "to pick your brain.\n\nThanks,\nSam Ortiz")
    expect(pg.locator("#coach-marked mark")).not_to_have_count(0)
    expect(pg.locator("#coach-marked mark", has_text="refer me")).to_have_count(1)
    expect(pg.locator("#coach-findings .finding-fix")).not_to_have_count(0)
    pg.evaluate("window.scrollTo(0, 0)")
    path = save_screenshot(pg, "coach.png")
    assert path.stat().st_size > 20_000


def test_draft_opens_in_coach(make_page: OpenPage, server: LiveServer,
                              example_data: dict[str, Any]) -> None:
    pg = make_page()
    fill_draft_form(pg, example_data)
    draft(pg)
    body = pg.locator("article.draft textarea").first.input_value()
    pg.get_by_role("button", name="Open in coach").click()
    expect(pg.get_by_role("tab", name="Coach my message")).to_have_attribute(
        "aria-selected", "true")
    expect(pg.get_by_label("Your message")).to_have_value(body)
    expect(pg.locator("#coach-overall")).to_contain_text("Acceptable")


# ---------------------------------------------------------------------------- access


def test_every_field_has_a_label_and_tabs_work_by_keyboard(make_page: OpenPage,
                                                           server: LiveServer) -> None:
    pg = make_page()
    pg.get_by_role("button", name="Add another work").click()
    unlabelled = pg.evaluate("""() => Array.from(
        document.querySelectorAll('input, select, textarea'))
        .filter(e => !e.closest('[hidden]') && !e.closest('template'))
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.id || e.outerHTML)""")
    assert unlabelled == []
    expect(pg.get_by_label("Text (work 2)")).to_be_focused()
    pg.get_by_role("button", name="Remove work 2").click()
    expect(pg.get_by_label("Text (work 2)")).to_have_count(0)

    pg.get_by_role("tab", name="Draft a message").focus()
    pg.keyboard.press("ArrowRight")
    expect(pg.get_by_role("tab", name="Coach my message")).to_be_focused()
    expect(pg.get_by_role("tab", name="Coach my message")).to_have_attribute(
        "aria-selected", "true")
    expect(pg.get_by_label("Your message")).to_be_visible()
    # A visible focus ring.
    outline = pg.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    pg.keyboard.press("Tab")
    expect(coach_form(pg).get_by_label("Subject (email only)")).to_be_focused()
    pg.keyboard.press("Tab")
    expect(coach_form(pg).get_by_label("Your message")).to_be_focused()
    pg.keyboard.type("Hi! Can you please refer me?")
    expect(pg.locator("#coach-marked mark")).to_have_text(["refer me"])


def test_usable_at_phone_width(make_page: OpenPage, server: LiveServer,
                               example_data: dict[str, Any]) -> None:
    example_data["variants"] = 2
    pg = make_page(width=375, height=800)
    fill_draft_form(pg, example_data)
    draft(pg)
    cards = pg.locator("article.draft")
    expect(cards).to_have_count(2)
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first and second
    assert abs(first["x"] - second["x"]) < 1 and second["y"] >= first["y"] + first["height"]
    assert first["x"] >= 0 and first["x"] + first["width"] <= 375
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    open_coach(pg)
    pg.get_by_label("Your message").fill("Hi! Can you please refer me?")
    expect(pg.locator("#coach-marked mark")).to_have_text(["refer me"])
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375


# ---------------------------------------------------------------------------- API keys


def test_with_keys_the_page_asks_for_one_keeps_it_in_the_tab_and_sends_it(
        browser: Browser, keyed_url: str, example_data: dict[str, Any]) -> None:
    context = browser.new_context()
    try:
        pg = context.new_page()
        pg.set_default_timeout(10_000)
        pg.goto(keyed_url)
        key_field = pg.get_by_label("API key")
        expect(key_field).to_be_visible()
        fill_draft_form(pg, example_data)
        draft(pg)  # no key yet: the 401 says where to type it
        expect(pg.locator("#draft-error")).to_contain_text("API key field")
        expect(key_field).to_be_focused()

        key_field.fill(API_KEY)
        key_field.press("Tab")
        with pg.expect_request("**/v1/drafts/stream") as sent:
            draft(pg)
        assert sent.value.headers["x-api-key"] == API_KEY
        expect(pg.locator("article.draft")).to_have_count(1)
        pg.get_by_role("tab", name="Coach my message").click()
        with pg.expect_request("**/v1/score") as scored:
            pg.get_by_label("Your message").fill("Hi! Can you please refer me?")
        assert scored.value.headers["x-api-key"] == API_KEY

        # This tab only: sessionStorage, never localStorage (which remembers the sender's
        # fields only) or a cookie; a reload keeps it.
        assert pg.evaluate("sessionStorage.getItem('drafter.apiKey')") == API_KEY
        stored = pg.evaluate("JSON.stringify(Object.entries(localStorage))")
        assert API_KEY not in stored and context.cookies() == []
        pg.reload()
        expect(pg.get_by_label("API key")).to_have_value(API_KEY)
        pg.get_by_role("button", name="Forget").click()
        assert pg.evaluate("sessionStorage.getItem('drafter.apiKey')") is None
    finally:
        context.close()


def test_without_keys_the_page_shows_no_key_field(make_page: OpenPage,
                                                  server: LiveServer) -> None:
    pg = make_page()
    expect(pg.locator("#draft-form")).to_be_visible()
    pg.wait_for_load_state("networkidle")
    expect(pg.locator("#api-key-box")).to_be_hidden()
