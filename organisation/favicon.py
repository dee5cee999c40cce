"""The site's icon: the one uploaded in Settings › Organisation, or the default in ``static/favicon.ico``."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static

from .models import OrganisationSettings

logger = logging.getLogger(__name__)
DEFAULT_FAVICON = "favicon.ico"
FAVICON_RENDITION = "fill-64x64|format-png"


def favicon_url(request: HttpRequest | None) -> str:
    organisation = OrganisationSettings.load(request_or_site=request) if request else None
    if organisation is not None and organisation.favicon_id:
        try:
            return organisation.favicon.get_rendition(FAVICON_RENDITION).url
        except Exception:  # a missing or broken file must not break every page
            logger.exception("Favicon rendition failed; using the default icon")
    return static(DEFAULT_FAVICON)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers and crawlers ask for whatever the page says: a redirect."""
    response = HttpResponseRedirect(favicon_url(request))
    response["Cache-Control"] = "public, max-age=3600"
    return response
