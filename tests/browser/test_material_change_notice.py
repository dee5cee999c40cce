"""A material policy change after a visitor's choice: a dismissible notice, no new choice asked."""

import time

from .test_consent_banner import BANNER, choose, serious_violations

NOTICE = "#consent-notice"


def publish_privacy_policy(*, material: bool, summary: str):
    from policy_pages.models import PolicyPage

    page = PolicyPage.objects.get(slug="privacy-policy")
    page.change_summary = summary
    page.is_material_change = material
    page.save_revision().publish()
    return page.versions.order_by("-number").first()


def test_returning_visitor_hears_of_a_material_change_once(site_url, context, watched):
    watched.goto(site_url + "/")
    choose(watched, "Accept all")
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")
    assert watched.locator(NOTICE).is_hidden()

    time.sleep(1.1)  # the consent cookie keeps whole seconds: publish strictly after the choice
    version = publish_privacy_policy(material=True, summary="We now keep contact messages for 6 months.")
    assert version.is_material_change

    watched.reload()
    notice = watched.locator(NOTICE)
    notice.wait_for(state="visible")
    assert "Privacy Policy changed on" in notice.inner_text()
    assert watched.locator(BANNER).is_hidden(), "no new choice is asked for"
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")  # the choice still applies
    assert watched.evaluate("document.activeElement === document.body"), "focus is not taken"
    assert serious_violations(watched) == []

    link = notice.get_by_role("link", name="See what changed")
    assert link.get_attribute("href") == version.get_compare_url(version.number - 1)
    link.click()
    watched.wait_for_url(f"**{version.get_compare_url(version.number - 1)}")
    assert "We now keep contact messages for 6 months." in watched.content()

    watched.go_back()
    watched.locator(NOTICE).get_by_role("button", name="Dismiss").click()
    assert watched.locator(NOTICE).is_hidden()
    watched.reload()
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")
    assert watched.locator(NOTICE).is_hidden(), "a dismissed notice stays dismissed"

    time.sleep(1.1)
    publish_privacy_policy(material=False, summary="Typo fixed.")
    watched.reload()
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")
    assert watched.locator(NOTICE).is_hidden(), "a non-material version says nothing"

    time.sleep(1.1)
    publish_privacy_policy(material=True, summary="New processor for newsletters.")
    watched.reload()
    watched.locator(NOTICE).wait_for(state="visible")  # the next material change is told again


def test_first_time_visitor_sees_the_banner_not_the_notice(site_url, watched):
    publish_privacy_policy(material=True, summary="We now keep contact messages for 6 months.")
    watched.goto(site_url + "/")
    watched.locator(BANNER).wait_for(state="visible")
    assert watched.locator(NOTICE).is_hidden()
