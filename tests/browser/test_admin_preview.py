"""An editor in real Chromium: the live preview panel frames under the CSP, and no gated script runs
for them, neither in the preview nor on public pages while signed in (issue 11)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


@pytest.fixture
def editor_page(site_url, context):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and re.search(r"frame-ancestors|Refused to (frame|display)|Content Security Policy", message.text)
            and problems.append(message.text)
        ),
    )
    page.problems = problems
    yield page
    page.close()


def accept_all_as_a_visitor(page, site_url: str) -> None:
    page.goto(f"{site_url}/cookie-policy/")
    page.locator("#consent-banner").get_by_role("button", name="Accept all", exact=True).click()
    page.wait_for_function("() => window.demoAnalyticsLoaded === true")  # visitors do get the tags


def sign_in(page, site_url: str) -> None:
    page.goto(f"{site_url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_preview_panel_frames_and_runs_no_gated_script(site_url, editor_page):
    from policy_pages.models import PolicyPage

    page = editor_page
    accept_all_as_a_visitor(page, site_url)  # the browser now carries a consent cookie granting all
    sign_in(page, site_url)

    # A public page while signed in: the consent cookie grants everything, yet nothing third-party runs.
    page.goto(f"{site_url}/cookie-policy/")
    expect(page.locator("[data-consent-disabled]")).to_contain_text("signed in to the admin")
    page.wait_for_timeout(500)
    assert page.evaluate("window.demoAnalyticsLoaded") is None

    policy = PolicyPage.objects.get(slug="cookie-policy")
    page.goto(f"{site_url}/admin/pages/{policy.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("h1")).to_contain_text("Cookie Policy")
    expect(frame.locator("[data-consent-disabled]")).to_contain_text("never run in previews")
    preview = page.locator("#w-preview-iframe").element_handle().content_frame()
    assert preview is not None
    page.wait_for_timeout(500)
    assert preview.evaluate("window.demoAnalyticsLoaded") is None
    assert preview.evaluate("document.querySelectorAll('script[data-category]').length") == 0
    assert not page.problems, page.problems
