"""Serve anonymous pages from the cache; set the headers a CDN in front needs.

Sits directly below SessionMiddleware: a hit skips CSRF, authentication, messages and Wagtail's
page routing, and the ``Vary: Cookie`` seen here comes from the view (or the CSRF/messages
middleware below), never from the session merely being read for the userbar.

A hit costs one read of the site generation (with Redis, answered in this process while Redis's key
tracking pushes no change: no round trip; without Redis, one small file read) and a dictionary lookup
in this worker's memory. When the generation cannot be read
(Redis down), pages are rendered fresh: correct, only slower.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.text import compress_string

from site_data.generation import current_generation

from .keys import drop_unread_parameters, page_key
from .store import CachedPage, get_page, put_page

DEFAULT_EXCLUDED_PATH_PREFIXES = (
    "/admin/",
    "/cookie-settings/",
    "/consent/",
    "/documents/",
    "/healthz/",
    "/static/",
    "/media/",
)
UNCACHEABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers a stored page keeps (Set-Cookie never reaches the store; Date is the server's job).
NOT_STORED_HEADERS = {"set-cookie", "date", "x-page-cache"}


def cache_enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", True))


def excluded_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "PAGE_CACHE_EXCLUDED_PATH_PREFIXES", DEFAULT_EXCLUDED_PATH_PREFIXES))


def cdn_max_age() -> int:
    return int(getattr(settings, "PAGE_CACHE_CDN_MAX_AGE", 60))


def request_is_per_visitor(request: HttpRequest) -> bool:
    """A session cookie (a possibly logged-in editor), credentials or an excluded path."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        or request.path.startswith(excluded_prefixes())
    )


def response_is_shareable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_CACHE_CONTROL):
        return False
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",")}
    return not ({"cookie", "*", "authorization"} & vary)


class PageCacheMiddleware:
    """Anonymous GET/HEAD → cached page (ETag/304); everything else → untouched or marked private."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        per_visitor = request_is_per_visitor(request)
        if not cache_enabled() or per_visitor or request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if per_visitor or request.method not in ("GET", "HEAD"):
                mark_private(response)
            return response

        query = drop_unread_parameters(request)
        generation = current_generation()  # read before rendering: a bump during it retires the result
        key = page_key(generation, request, query) if generation is not None else ""
        if generation is not None:
            page = get_page(generation, key)
            if page is not None:
                return deliver(request, page, "hit")

        response = self.get_response(request)
        if not response_is_shareable(response):
            mark_private(response)
            return response
        make_public(response)
        page = cacheable_copy(response)
        state = "uncached"
        # A HEAD response has no body worth keeping.
        if generation is not None and request.method == "GET" and put_page(generation, key, page):
            state = "miss"
        return deliver(request, page, state)


def deliver(request: HttpRequest, page: CachedPage, state: str) -> HttpResponse:
    """The page, gzipped once when it was stored if the browser accepts it, or a 304."""
    gzip = bool(page.gzipped) and bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    response = HttpResponse(page.gzipped if gzip else page.body)
    for name, value in page.headers:
        response.headers[name] = value
    response["X-Page-Cache"] = state
    if gzip:
        response["Content-Length"] = str(len(page.gzipped))
        response["Content-Encoding"] = "gzip"
        response["ETag"] = page.etag[:-1] + '-gzip"'  # a different body needs a different tag
    else:
        response["ETag"] = page.etag
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def make_public(response: HttpResponse) -> None:
    patch_cache_control(response, public=True, max_age=0, s_maxage=cdn_max_age())
    # The page is the same for every anonymous visitor, but an editor with a session sees the
    # userbar: say so, for any shared cache that honours Vary.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))


def mark_private(response: HttpResponse) -> None:
    """Per-visitor or not reusable: tell a CDN to keep no copy, unless the view already decided."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_store=True)


def cacheable_copy(response: HttpResponse) -> CachedPage:
    """The response's headers and body, gzipped once here rather than on every request (anonymous
    pages hold no secrets to leak through compression)."""
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in NOT_STORED_HEADERS
    )
    body = response.content
    already_encoded = response.has_header("Content-Encoding")
    return CachedPage(
        headers=headers,
        body=body,
        gzipped=b"" if already_encoded else compress_string(body),
        etag=quote_etag(hashlib.blake2b(body, digest_size=16).hexdigest()),
    )
