"""/docs as a newcomer meets it, offline: Swagger UI from this server (no CDN), Authorize with
an API key, then draft with Try it out (headless Chromium; the model is scripted)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import API_KEY

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Request

pw = pytest.importorskip("playwright.sync_api",
                         reason="Playwright is not installed: pip install playwright==1.63.0")
expect = pw.expect

pytestmark = pytest.mark.browser



def test_a_newcomer_authorizes_in_docs_and_drafts_from_there(browser: Browser,
                                                              keyed_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    outside: list[str] = []
    try:
        pg = context.new_page()
        pg.set_default_timeout(15_000)

        def note(request: Request) -> None:
            if not request.url.startswith(keyed_url):
                outside.append(request.url)

        pg.on("request", note)
        pg.goto(keyed_url + "/docs")
        pg.get_by_role("button", name="Authorize").first.click()
        modal = pg.locator(".modal-ux")
        modal.get_by_label("Value:").fill(API_KEY)
        modal.get_by_role("button", name="Apply credentials").click()
        expect(modal.get_by_role("button", name="Remove authorization")).to_be_visible()
        modal.get_by_role("button", name="Close", exact=True).click()

        operation = pg.locator("#operations-default-createDraft")
        operation.locator(".opblock-summary").first.click()
        operation.get_by_role("button", name="Try it out").click()
        with pg.expect_request("**/v1/drafts") as sent:
            operation.get_by_role("button", name="Execute").click()
        assert sent.value.headers["x-api-key"] == API_KEY
        status = operation.locator(".live-responses-table tr.response .response-col_status")
        expect(status).to_have_text("200")
        expect(operation.locator(".live-responses-table")).to_contain_text("Hi Dana")
        assert outside == [], "the docs load nothing from another origin"
    finally:
        context.close()
