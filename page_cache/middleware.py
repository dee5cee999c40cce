"""Serve anonymous pages from the cache; set the headers a CDN in front needs.

Sits directly below SessionMiddleware: a hit skips CSRF, authentication, messages and Wagtail's
page routing, and the ``Vary: Cookie`` seen here comes from the view (or the CSRF/messages
middleware below), never from the session merely being read for the userbar.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.text import compress_string

from site_data.generation import current_generation

from .tokens import create_missing_tokens, page_cache_key, page_store, read_tokens, token_keys_for_path

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
NOT_STORED_HEADERS = {"set-cookie", "date"}


def cache_enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


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


def normalised_query(request: HttpRequest) -> str:
    return urlencode(sorted(request.GET.lists()), doseq=True)


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
        cacheable_request = (
            cache_enabled() and request.method in ("GET", "HEAD") and not request_is_per_visitor(request)
        )
        if not cacheable_request:
            response = self.get_response(request)
            if request_is_per_visitor(request) or request.method not in ("GET", "HEAD"):
                mark_private(response)
            return response

        generation = current_generation()  # read before rendering, like the tokens
        if generation is None:  # the shared cache is down: render fresh, store nothing
            return self.get_response(request)
        path = request.path_info
        keys = token_keys_for_path(path)
        tokens = read_tokens(keys)  # read before rendering: a change during the render retires the result
        key_parts = {
            "generation": generation,
            "scheme": request.scheme,
            "host": request.get_host(),
            "path": path,
            "query": normalised_query(request),
        }
        if len(tokens) == len(keys):
            stored = page_store().get(page_cache_key(tokens, keys, **key_parts))
            if stored is not None:
                response, gzipped = stored  # the cache hands back a fresh unpickled copy each time
                return deliver(request, response, gzipped, "hit")

        response = self.get_response(request)
        if not response_is_shareable(response):
            mark_private(response)
            return response
        make_public(response)
        stored = storable(response)
        # A HEAD response has no body worth keeping.
        if request.method == "GET" and create_missing_tokens(keys, tokens):
            page_store().set(
                page_cache_key(tokens, keys, **key_parts),
                stored,
                timeout=getattr(settings, "PAGE_CACHE_SECONDS", 3600),
            )
        return deliver(request, response, stored[1], "miss")


def deliver(request: HttpRequest, response: HttpResponse, gzipped: bytes, state: str) -> HttpResponse:
    """The page, gzipped once when it was stored if the browser accepts it, or a 304."""
    response["X-Page-Cache"] = state
    if gzipped and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response.content = gzipped
        response["Content-Length"] = str(len(gzipped))
        response["Content-Encoding"] = "gzip"
        response["ETag"] = response["ETag"][:-1] + '-gzip"'  # a different body needs a different tag
    return get_conditional_response(request, etag=response["ETag"], response=response)


def make_public(response: HttpResponse) -> None:
    patch_cache_control(response, public=True, max_age=0, s_maxage=cdn_max_age())
    response["ETag"] = quote_etag(hashlib.blake2b(response.content, digest_size=16).hexdigest())
    # The page is the same for every anonymous visitor, but an editor with a session sees the
    # userbar: say so, for any shared cache that honours Vary.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))


def mark_private(response: HttpResponse) -> None:
    """Per-visitor or not reusable: tell a CDN to keep no copy, unless the view already decided."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_store=True)


def storable(response: HttpResponse) -> tuple[HttpResponse, bytes]:
    """A copy without cookies (there are none: such responses are not shareable) to pickle, and its
    body gzipped once here rather than on every request (anonymous pages hold no secrets to leak)."""
    stored = HttpResponse(response.content, status=response.status_code)
    for name, value in response.items():
        if name.lower() not in NOT_STORED_HEADERS:
            stored.headers[name] = value
    already_encoded = response.has_header("Content-Encoding")
    return stored, b"" if already_encoded else compress_string(response.content)
