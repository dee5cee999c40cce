from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from consent.views import gpc_well_known
from organisation.favicon import favicon
from site_data import routing

# One language per URL: machine-readable and operational routes are language-neutral.
urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("favicon.ico", favicon, name="favicon"),
    path(".well-known/gpc.json", gpc_well_known, name="gpc_well_known"),
    path("", include("operations.urls")),
    path("", include("evidence.urls")),
    path("", include("cookie_registry.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's own routes, with page serving that keeps each route until the site changes.
wagtail_page_urls = [
    *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]

# What visitors read is in the default language unprefixed (/cookie-policy/) and in the others
# under their prefix (/de/cookie-policy/). Wagtail's page serving catches everything else, so last.
urlpatterns += i18n_patterns(
    path("", include("consent.urls")),
    path("", include("policy_pages.urls")),
    path("", include(wagtail_page_urls)),
    prefix_default_language=False,
)
