"""A visitor follows a policy's history in real Chromium: current → history → changes → archived text."""

import re

from playwright.sync_api import expect


def test_visitor_reads_the_history_of_the_cookie_policy(site_url, page):
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    page.goto(f"{site_url}/cookie-policy/")
    expect(page.locator(".policy__version")).to_contain_text(
        re.compile(r"Version 2 · effective \d+ \w+ \d{4}")
    )
    page.get_by_role("link", name="Version history").click()

    expect(page).to_have_url(re.compile(r"/cookie-policy/versions/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookie Policy: version history")
    page.get_by_role("link", name="Changes from version 1").click()

    expect(page).to_have_url(re.compile(r"/cookie-policy/versions/1/compare/2/$"))
    expect(page.locator(".policy__body--diff ins").first).to_be_visible()
    expect(page.locator(".policy__body--diff del").first).to_be_visible()
    page.get_by_role("link", name="Version 1", exact=True).click()

    expect(page).to_have_url(re.compile(r"/cookie-policy/versions/1/$"))
    expect(page.locator(".notice--archived")).to_contain_text("Archived version, not current.")
    expect(page.locator(".print-frame__header")).to_be_hidden()  # on screen; it repeats on paper

    page.emulate_media(media="print")
    expect(page.locator(".print-frame__header")).to_contain_text("Cookie Policy · Version 1 · effective")
    expect(page.locator(".site-header")).to_be_hidden()
    assert not [error for error in console_errors if "Content Security Policy" in error], console_errors
