"""Phones first, cookie details in the dialog, branding positions and the 409 refresh, in real Chromium.

Each test runs at 375×667 (a small phone) and 1280×800, fails on any CSP violation, and asks axe for
serious or critical violations where the state it sets up is new.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import CSP_WATCH
from .test_consent_banner import BANNER, DIALOG

VIEWPORTS = [pytest.param((375, 667), id="phone-375x667"), pytest.param((1280, 800), id="desktop-1280x800")]


@pytest.fixture(params=VIEWPORTS)
def viewport(request) -> tuple[int, int]:
    return request.param


@pytest.fixture
def sized(browser, viewport):
    """A page at the viewport size that fails the test on any CSP violation."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and console_errors.append(message.text),
    )
    yield page
    violations = page.evaluate("window.__cspViolations || []") if page.url.startswith("http") else []
    context.close()
    assert not console_errors, console_errors
    assert not violations, violations


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def test_banner_takes_at_most_35_percent_and_its_buttons_are_visible(site_url, sized, viewport):
    sized.goto(site_url + "/")
    banner = sized.locator(BANNER)
    banner.wait_for(state="visible")
    height = banner.bounding_box()["height"]
    assert height <= viewport[1] * 0.35 + 0.5, f"banner is {height}px of {viewport[1]}px"
    for label in ("Accept all", "Reject all", "Customize"):
        assert in_viewport(sized, banner.get_by_role("button", name=label, exact=True)), label
    # The page's own last controls can still be scrolled above the banner.
    sized.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer_link = sized.locator("footer a").last
    link_bottom = footer_link.bounding_box()["y"] + footer_link.bounding_box()["height"]
    assert link_bottom <= banner.bounding_box()["y"] + 0.5
    assert serious_violations(sized) == []


def test_dialog_actions_stay_in_view_with_every_category_expanded(site_url, sized):
    sized.goto(site_url + "/")
    sized.locator(BANNER).get_by_role("button", name="Customize").click()
    dialog = sized.locator(DIALOG)
    dialog.wait_for(state="visible")
    for summary in dialog.locator("details summary").all():
        summary.click()
    assert dialog.evaluate("d => d.scrollHeight > d.clientHeight"), "dialog should need scrolling"
    for position in ("top", "middle", "bottom"):
        dialog.evaluate(
            "(d, p) => { d.scrollTop = p === 'top' ? 0 : p === 'middle' ? d.scrollHeight / 2 : d.scrollHeight; }",
            position,
        )
        for label in ("Save choices", "Accept all", "Reject all"):
            assert in_viewport(sized, dialog.get_by_role("button", name=label, exact=True)), (position, label)
    assert serious_violations(sized) == []


def test_each_category_expands_to_its_cookies(site_url, sized):
    sized.goto(site_url + "/")
    sized.locator(BANNER).get_by_role("button", name="Customize").click()
    dialog = sized.locator(DIALOG)
    details = dialog.locator('details[data-cookie-details="analytics"]')
    summary = details.locator("summary")
    assert details.get_attribute("open") is None
    assert not details.locator("dl").first.is_visible()
    summary.focus()
    sized.keyboard.press("Enter")  # a native disclosure: keyboard works without script
    assert details.get_attribute("open") == ""
    entry = details.locator("li").filter(has_text="_ga").first
    text = entry.inner_text()
    for label in ("Name", "Provider", "Duration", "Purpose"):
        assert label in text, text
    assert "Google" in text and "year" in text
    # Same partial, same details on the no-JS settings page.
    sized.goto(site_url + "/cookie-settings/")
    assert sized.locator('main details[data-cookie-details="analytics"] dl').count() >= 1


def test_cookie_tables_stack_without_sideways_scrolling(site_url, sized, viewport):
    sized.goto(site_url + "/cookie-policy/")
    sized.locator(BANNER).get_by_role("button", name="Reject all", exact=True).click()
    sized.locator(BANNER).wait_for(state="hidden")
    assert sized.evaluate("document.documentElement.scrollWidth") <= viewport[0]
    overflowing = sized.evaluate(
        "[...document.querySelectorAll('.table-scroll')].filter(b => b.scrollWidth > b.clientWidth + 1).length"
    )
    row_display = sized.evaluate(
        "getComputedStyle(document.querySelector('.registry-table tbody tr')).display"
    )
    if viewport[0] < 640:
        assert overflowing == 0
        assert row_display == "block"  # stacked rows
        label = sized.evaluate(
            "getComputedStyle(document.querySelector('.registry-table td[data-label]'), '::before').content"
        )
        assert label.startswith('"') and ": " in label
        # Long names break after "_" (wbr), not inside a word.
        name = sized.locator(".registry-table code", has_text="cookie_").first
        assert name.evaluate("c => c.innerHTML").count("<wbr>") >= 1
    else:
        assert row_display == "table-row"
    assert serious_violations(sized) == []


@pytest.mark.parametrize("position", ["bar", "corner", "modal"])
def test_each_position_with_a_custom_colour(site_url, sized, viewport, position):
    from consent.models import ConsentSettings

    consent_settings = ConsentSettings.load()
    consent_settings.primary_colour = "#5b2a86"
    consent_settings.button_text_colour = "#ffffff"
    consent_settings.banner_position = position
    consent_settings.full_clean()
    consent_settings.save()

    sized.goto(site_url + "/")
    banner = sized.locator(BANNER)
    banner.wait_for(state="visible")
    assert banner.get_attribute("class") == f"cb cb--{position}"
    assert in_viewport(sized, banner)
    assert banner.bounding_box()["height"] <= viewport[1] * 0.35 + 0.5
    accept = banner.get_by_role("button", name="Accept all", exact=True)
    reject = banner.get_by_role("button", name="Reject all", exact=True)
    style = "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderTopWidth]; }"
    assert accept.evaluate(style) == reject.evaluate(style)  # Reject all exactly as prominent
    assert accept.evaluate(style)[0] == "rgb(91, 42, 134)"
    assert abs(accept.bounding_box()["height"] - reject.bounding_box()["height"]) < 1
    # No layout blocks the page: it still scrolls and its text outside the banner can be read.
    before = sized.evaluate("window.scrollY")
    sized.mouse.wheel(0, 400)
    sized.wait_for_function("start => window.scrollY > start", arg=before)
    assert sized.evaluate("document.querySelector('#consent-dialog').open") is False
    assert serious_violations(sized) == []


def test_a_409_refreshes_the_banner_with_the_new_registry_without_reload(site_url, sized):
    from cookie_registry.models import Cookie, CookieCategory

    sized.goto(site_url + "/")
    banner = sized.locator(BANNER)
    banner.wait_for(state="visible")
    sized.evaluate("window.__samePage = true")
    analytics = CookieCategory.objects.get(key="analytics")
    analytics.cookies.add(Cookie(name="_gac_late", purpose="Campaign measurement.", party="first"))
    analytics.save_revision().publish()  # the page in the browser now shows an outdated registry

    banner.get_by_role("button", name="Accept all", exact=True).click()
    error = banner.locator("[data-consent-error]")
    error.wait_for(state="visible")
    assert "changed" in error.inner_text()
    sized.wait_for_function(
        "() => JSON.parse(document.getElementById('consent-config').textContent).registryVersion !== cmp.cfg.registryVersion"
    )
    assert sized.evaluate("window.__samePage") is True  # no reload
    banner.get_by_role("button", name="Customize").click()
    dialog = sized.locator(DIALOG)
    dialog.locator('details[data-cookie-details="analytics"] summary').click()
    assert "_gac_late" in dialog.locator('details[data-cookie-details="analytics"]').inner_text()
    dialog.get_by_role("button", name="Accept all", exact=True).click()
    dialog.wait_for(state="hidden")
    banner.wait_for(state="hidden")
    assert sized.evaluate("window.__samePage") is True
