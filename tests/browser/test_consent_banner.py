"""The visitor's side of consent in real headless Chromium: banner, dialog, gating, deletion, a11y.

Every test also fails on any Content-Security-Policy violation (console or
``securitypolicyviolation`` event), so the banner is proven to work under the strict policy.
"""

from urllib.parse import unquote

from axe_playwright_python.sync_playwright import Axe

BANNER = "#consent-banner"
DIALOG = "#consent-dialog"


def embed_html() -> str:
    """What a template renders for a consented embed (the iframe is a harmless same-origin file)."""
    from django.template import Context, Template

    return Template(
        '{% load consent_tags %}{% consent_embed "social_media" %}'
        '<iframe src="/static/consent/banner.css" title="Demo video"></iframe>{% endconsent_embed %}'
    ).render(Context({}))


def cookies_by_name(context) -> dict[str, str]:
    return {cookie["name"]: cookie["value"] for cookie in context.cookies()}


def consent_payload(context) -> list[str]:
    value = unquote(cookies_by_name(context)["cookie_consent"]).strip('"')
    return value.split(":")[0].split("|")


def granted_in_cookie(context) -> set[str]:
    keys = consent_payload(context)[4]
    return set(keys.split("+")) if keys else set()


def consent_updates(page) -> list[dict]:
    return page.evaluate(
        "dataLayer.filter(a => a[0] === 'consent').map(a => Object.assign({command: a[1]}, a[2]))"
    )


def choose(page, label: str) -> None:
    page.locator(BANNER).get_by_role("button", name=label, exact=True).click()
    page.locator(BANNER).wait_for(state="hidden")


def test_first_visit_shows_banner_and_stores_nothing_optional(site_url, context, watched):
    watched.goto(site_url + "/")
    banner = watched.locator(BANNER)
    banner.wait_for(state="visible")
    assert banner.get_attribute("role") == "region"
    for label in ("Accept all", "Reject all", "Customize"):
        assert banner.get_by_role("button", name=label, exact=True).is_visible()
    accept = banner.get_by_role("button", name="Accept all", exact=True).bounding_box()
    reject = banner.get_by_role("button", name="Reject all", exact=True).bounding_box()
    assert (accept["width"], accept["height"]) == (reject["width"], reject["height"])
    assert watched.evaluate("window.demoAnalyticsLoaded") is None
    assert cookies_by_name(context) == {}
    assert watched.evaluate("window.__layoutShift") == 0  # fixed position: nothing on the page moved
    default = consent_updates(watched)[0]
    assert default["command"] == "default"
    assert default["analytics_storage"] == "denied" and default["ad_storage"] == "denied"
    assert default["security_storage"] == "granted"  # the essential category maps to it
    assert default["wait_for_update"] == 500


def test_reject_all_keeps_gated_tags_and_embeds_inert(site_url, context, watched):
    watched.goto(site_url + "/")
    choose(watched, "Reject all")
    assert consent_payload(context)[4] == ""
    watched.reload()
    watched.wait_for_load_state("load")
    assert watched.locator(BANNER).is_hidden()
    assert watched.evaluate("window.demoAnalyticsLoaded") is None
    assert watched.evaluate("window.demoMarketingLoaded") is None
    names = cookies_by_name(context)
    assert not any(name.startswith(("_ga", "_fbp")) for name in names), names

    # An embed stays a placeholder until the visitor enables its category themself.
    watched.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", embed_html()
    )
    assert watched.locator("main iframe").count() == 0
    watched.get_by_role("button", name="Enable Social Media content").click()
    watched.locator("main iframe[title='Demo video']").wait_for(state="attached")
    assert granted_in_cookie(context) == {"social_media"}


def test_accept_all_runs_gated_tags_without_reload(site_url, context, watched):
    watched.goto(site_url + "/")
    watched.evaluate("window.notReloaded = true")
    choose(watched, "Accept all")
    watched.wait_for_function(
        "() => window.demoAnalyticsLoaded === true && window.demoMarketingLoaded === true"
    )
    assert watched.evaluate("window.notReloaded") is True
    assert granted_in_cookie(context) == {"preferences", "analytics", "marketing", "social_media"}
    names = cookies_by_name(context)
    assert names["_ga"].startswith("GA1.1.") and "_ga_DEMO" in names and "_fbp" in names
    update = consent_updates(watched)[-1]
    assert update["command"] == "update"
    assert update["analytics_storage"] == "granted" and update["ad_storage"] == "granted"
    # On the next page the stored choice is applied straight away.
    watched.goto(site_url + "/cookie-settings/")
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")
    assert watched.locator(BANNER).is_hidden()
    assert consent_updates(watched)[1]["analytics_storage"] == "granted"


def test_customize_grants_only_the_chosen_category(site_url, context, watched):
    watched.goto(site_url + "/")
    watched.locator(BANNER).get_by_role("button", name="Customize").click()
    dialog = watched.locator(DIALOG)
    dialog.wait_for(state="visible")
    assert dialog.get_by_role("checkbox", name="Analytics").is_checked() is False
    assert dialog.get_by_role("checkbox", name="Strictly Necessary (always on)").is_disabled()
    assert dialog.get_by_role("link", name="More about Analytics cookies").get_attribute("href") == (
        "/cookie-policy/#analytics"
    )
    dialog.get_by_role("checkbox", name="Analytics").check()
    dialog.get_by_role("button", name="Save choices").click()
    dialog.wait_for(state="hidden")
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")
    assert watched.evaluate("window.demoMarketingLoaded") is None
    assert watched.evaluate("window.demoPreferencesLoaded") is None
    assert granted_in_cookie(context) == {"analytics"}
    assert watched.locator(BANNER).is_hidden()
    assert watched.evaluate("document.activeElement.id") == "main"  # not lost in the hidden banner
    assert "_fbp" not in cookies_by_name(context)


def test_withdrawing_from_cookie_settings_link_deletes_declared_cookies(site_url, context, watched):
    # The demo registry declares the preferences widget's localStorage key as display_*.
    watched.goto(site_url + "/")
    choose(watched, "Accept all")
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true && window.demoPreferencesLoaded")
    watched.evaluate("document.cookie = '_gid=GA1.1.1; path=/; max-age=86400'")  # as a real tag would
    assert {"_ga", "_ga_DEMO", "_gid", "_fbp"} <= set(cookies_by_name(context))
    assert watched.evaluate("localStorage.getItem('display_preferences')") is not None

    watched.locator("a[data-cookie-settings]").click()
    dialog = watched.locator(DIALOG)
    dialog.wait_for(state="visible")
    assert dialog.get_by_role("checkbox", name="Analytics").is_checked()  # current choices shown
    dialog.get_by_role("checkbox", name="Analytics").uncheck()
    dialog.get_by_role("checkbox", name="Preferences").uncheck()
    with watched.expect_navigation():  # a tag that already ran is stopped by reloading the page
        dialog.get_by_role("button", name="Save choices").click()
    watched.wait_for_load_state("load")
    names = set(cookies_by_name(context))
    assert not {"_ga", "_ga_DEMO", "_gid"} & names, names
    assert "_fbp" in names  # marketing is still granted
    assert granted_in_cookie(context) == {"marketing", "social_media"}
    assert watched.evaluate("localStorage.getItem('display_preferences')") is None
    assert watched.evaluate("window.demoAnalyticsLoaded") is None
    assert watched.evaluate("window.demoMarketingLoaded") is True


def test_registry_version_bump_asks_again_and_says_what_changed(site_url, context, watched):
    from cookie_registry.models import Cookie, CookieCategory

    watched.goto(site_url + "/")
    choose(watched, "Accept all")
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")

    analytics = CookieCategory.objects.get(key="analytics")
    analytics.cookies.add(Cookie(name="_gac_demo", purpose="Campaign measurement.", party="first"))
    analytics.save_revision().publish()

    watched.reload()
    banner = watched.locator(BANNER)
    banner.wait_for(state="visible")
    assert "_gac_demo" in banner.locator("[data-consent-changes]").inner_text()
    assert watched.evaluate("window.demoAnalyticsLoaded") is None  # outdated consent is no consent
    default = consent_updates(watched)
    assert [entry["command"] for entry in default] == ["default"]


def test_keyboard_only(site_url, context, watched):
    watched.goto(site_url + "/")
    watched.locator(BANNER).wait_for(state="visible")
    for _ in range(10):
        watched.keyboard.press("Tab")
        focused = watched.evaluate("document.activeElement.textContent.trim()")
        if focused == "Reject all":
            break
    assert watched.evaluate("document.activeElement.closest('#consent-banner') !== null")
    assert focused == "Reject all"
    watched.keyboard.press("Enter")
    watched.locator(BANNER).wait_for(state="hidden")
    assert consent_payload(context)[4] == ""

    link = watched.locator("a[data-cookie-settings]")
    link.focus()
    watched.keyboard.press("Enter")
    watched.locator(DIALOG).wait_for(state="visible")
    assert watched.evaluate("document.activeElement.closest('#consent-dialog') !== null")
    watched.keyboard.press("Escape")
    watched.locator(DIALOG).wait_for(state="hidden")
    assert watched.evaluate("document.activeElement.matches('a[data-cookie-settings]')")
    assert watched.url == site_url + "/"


def test_cookie_settings_page_works_without_javascript(site_url, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        assert page.locator(BANNER).is_hidden()  # the banner needs JS; the footer link does not
        page.locator("a[data-cookie-settings]").click()
        page.wait_for_url("**/cookie-settings/")
        form = page.locator("main form[data-consent-form]")
        form.get_by_role("checkbox", name="Analytics").check()
        form.get_by_role("button", name="Save choices").click()
        page.wait_for_url("**/cookie-settings/?saved=1")
        assert granted_in_cookie(context) == {"analytics"}
        assert page.locator("main form").get_by_role("checkbox", name="Analytics").is_checked()
        assert "_ga" not in cookies_by_name(context)
    finally:
        context.close()


def test_works_at_320_pixels_wide(site_url, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        banner = page.locator(BANNER)
        banner.wait_for(state="visible")
        for label in ("Accept all", "Reject all", "Customize"):
            box = banner.get_by_role("button", name=label, exact=True).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (label, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        banner.get_by_role("button", name="Customize").click()
        dialog = page.locator(DIALOG)
        dialog.wait_for(state="visible")
        box = dialog.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        dialog.get_by_role("button", name="Reject all").scroll_into_view_if_needed()
        dialog.get_by_role("button", name="Reject all").click()
        dialog.wait_for(state="hidden")
        assert granted_in_cookie(context) == set()
    finally:
        context.close()


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_axe_finds_no_serious_violation_with_banner_or_dialog(site_url, watched):
    watched.goto(site_url + "/")
    watched.locator(BANNER).wait_for(state="visible")
    assert serious_violations(watched) == []
    watched.locator(BANNER).get_by_role("button", name="Customize").click()
    watched.locator(DIALOG).wait_for(state="visible")
    assert serious_violations(watched) == []


def test_global_privacy_control_keeps_marketing_off(site_url, context, watched):
    context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
    )
    watched.goto(site_url + "/")
    choose(watched, "Accept all")
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")
    assert watched.evaluate("window.demoMarketingLoaded") is None
    assert "marketing" not in granted_in_cookie(context)
    assert "analytics" in granted_in_cookie(context)

    watched.locator("a[data-cookie-settings]").click()
    dialog = watched.locator(DIALOG)
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-consent-gpc]").is_visible()
    dialog.get_by_role("checkbox", name="Marketing").check()  # the visitor's own, explicit choice
    dialog.get_by_role("button", name="Save choices").click()
    watched.wait_for_function("() => window.demoMarketingLoaded === true")
    assert "marketing" in granted_in_cookie(context)


def test_stored_choice_is_read_strictly_and_expires(site_url, context, watched):
    """Malformed, unknown, outdated or expired cookies count as no choice: banner, nothing runs."""
    import time

    from cookie_registry.versioning import ensure_registry_version

    version = ensure_registry_version().number
    now = int(time.time())
    consent_id = "abcdefghijklmnop1234"
    no_choice = [
        "garbage",
        f"1|short|{version}|{now}|analytics:sig",  # consent id too short
        f"2|{consent_id}|{version}|{now}|analytics:sig",  # unknown format
        f"1|{consent_id}|{version}|{now}|analytics+unknown:sig",  # category not in the registry
        f"1|{consent_id}|{version}|{now}|analytics",  # no signature part
        f"1|{consent_id}|{version + 1}|{now}|analytics:sig",  # another registry version
        f"1|{consent_id}|{version}|{now - 200 * 86400}|analytics:sig",  # older than 182 days
    ]
    for value in no_choice:
        context.clear_cookies()
        context.add_cookies([{"name": "cookie_consent", "value": value, "url": site_url}])
        watched.goto(site_url + "/")
        watched.locator(BANNER).wait_for(state="visible")
        assert watched.evaluate("window.demoAnalyticsLoaded") is None, value

    context.clear_cookies()
    value = f"1|{consent_id}|{version}|{now - 86400}|analytics:sig"
    context.add_cookies([{"name": "cookie_consent", "value": value, "url": site_url}])
    watched.goto(site_url + "/")
    watched.wait_for_function("() => window.demoAnalyticsLoaded === true")
    assert watched.locator(BANNER).is_hidden()
