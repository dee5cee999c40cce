"""Real headless Chromium (Debian's package) driven by Playwright, against pytest-django's live server."""

import os

import pytest

from cookie_scanner.browser_scan import CHROMIUM_ARGS, chromium_path

# The same Debian chromium and flags as the cookie scanner drives.
CHROMIUM = chromium_path()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: its event loop (and the env var below) end with the module,
    so tests that run later in the session talk to Django without Playwright's loop around."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make browser` (installs Debian's chromium).")
    # Playwright's sync API runs an event loop; Django must still allow DB access from the test thread.
    # Set only while a browser runs, so subprocesses of other tests (check --deploy) never inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


@pytest.fixture
def site_url(live_server, transactional_db):
    """Base URL of a live server with the demo content loaded."""
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    from wagtail.models import Site

    # The live server answers on 127.0.0.1:<port>; the default site matches any host.
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    return live_server.url


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
window.__layoutShift = 0;
new PerformanceObserver(list => list.getEntries().forEach(e => { window.__layoutShift += e.value; }))
  .observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture
def watched(context):
    """A page whose CSP violations are collected, and asserted absent when the test ends."""
    console_errors = []
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and console_errors.append(message.text),
    )
    yield page
    violations = []
    if not page.is_closed() and page.url.startswith("http"):
        violations = page.evaluate("window.__cspViolations || []")
    page.close()
    assert not console_errors, console_errors
    assert not violations, violations
