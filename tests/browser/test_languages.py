"""A visitor switches language on a translated policy in a real browser."""

from .test_consent_banner import BANNER, serious_violations


def test_visitor_switches_between_english_german_and_french(site_url, page):
    page.goto(site_url + "/cookie-policy/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(BANNER).wait_for(state="visible")
    switcher = page.get_by_role("navigation", name="Languages")
    switcher.get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**/de/cookie-richtlinie/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text() == "Cookie-Richtlinie"
    current = page.get_by_role("navigation", name="Sprachen").locator(
        "[aria-current=page]"
    )  # translated label
    assert current.inner_text() == "Deutsch"
    assert serious_violations(page) == []
    page.get_by_role("navigation", name="Sprachen").get_by_role("link", name="français").click()
    page.wait_for_url("**/fr/politique-cookies/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Politique relative aux cookies"
