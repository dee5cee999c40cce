"""The site's URLs plus a few fixture routes the scanner tests need (a hard-coded tracker, failures)."""

import time

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path

from cms import urls as cms_urls

EARLY_TRACKER_JS = """
localStorage.setItem("early_tracker", "1");
document.cookie = "early_uid=abc; Max-Age=86400; path=/";
"""


def early_tracker_js(request):
    return HttpResponse(EARLY_TRACKER_JS, content_type="text/javascript")


def page_with_hard_coded_tracker(request):
    """A page a developer added with a tracker outside the consent gating (it runs before any choice)."""
    response = HttpResponse(
        '<!doctype html><html><head><script src="/scan-fixture/early.js"></script></head>'
        "<body><h1>Hard-coded tracker</h1></body></html>"
    )
    response.set_cookie("server_uid", "1", max_age=3600)
    return response


def broken_page(request):
    return HttpResponse("<!doctype html><p>Server error</p>", status=500)


def throwing_page(request):
    return HttpResponse('<!doctype html><script src="/scan-fixture/throws.js"></script><p>ok</p>')


def throwing_js(request):
    return HttpResponse("throw new Error('widget exploded');", content_type="text/javascript")


def slow_page(request):
    time.sleep(6)
    return HttpResponse("<!doctype html><p>finally</p>")


def sets_cookies(request):
    response = HttpResponse("ok")
    response.set_cookie("mystery_pref", "1")
    response.set_cookie("cookie_consent", "x")  # declared
    response.delete_cookie("gone_cookie")  # a deletion stores nothing
    return response


urlpatterns: list[URLPattern | URLResolver] = [
    path("scan-fixture/sets-cookies/", sets_cookies),
    path("scan-fixture/early.js", early_tracker_js),
    path("scan-fixture/tracker/", page_with_hard_coded_tracker),
    path("scan-fixture/broken/", broken_page),
    path("scan-fixture/throws/", throwing_page),
    path("scan-fixture/throws.js", throwing_js),
    path("scan-fixture/slow/", slow_page),
]
# The project's own routes after the fixtures (i18n_patterns cannot be include()d, so add the list).
urlpatterns += cms_urls.urlpatterns
