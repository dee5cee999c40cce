"""Wagtail's page routing, shared per worker until the site generation changes.

Wagtail resolves every request from scratch: the Site for the host, the root page in the URL's
language, one page per path segment, its specific row, and the view restrictions of it and its
ancestors (seven queries for ``/cookie-policy/``). All of that follows from published structure,
which bumps the generation whenever it changes (``watch_wagtail_core``), so a worker keeps the
result per host, language and path until then.

The kept page is one instance shared by this worker's requests for a generation: it is read-only
by contract, like every value shared per generation, and what a page computes once from published
data (``functools.cached_property``) lives exactly as long as that data. Routes that fail (404) are
not kept, and the table holds at most ``ROUTES_PER_WORKER`` entries (least recently used go first),
so odd URLs cannot grow it.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.translation import get_language

from wagtail.url_routing import RouteResult

from .generation import shared_per_generation

ROUTES_PER_WORKER = 1000

RouteKey = tuple[str, str, str, str]


class RouteTable:
    """A bounded, least-recently-used table of routed requests for one generation.

    Every route to the same page (its own URL and its sub-routes: versions, comparisons …) shares one
    page instance, and every route of a site one Site, so the table's memory follows the number of
    pages, not of URLs.
    """

    def __init__(self, size: int | None = None) -> None:
        self.size = size or ROUTES_PER_WORKER
        self._entries: OrderedDict[RouteKey, tuple[Any, Any]] = OrderedDict()
        self._pages: dict[int, Any] = {}
        self._sites: dict[int, Any] = {}
        self._lock = threading.Lock()

    def shared(self, site: Any, route: Any) -> tuple[Any, Any]:
        """``(site, route)`` using this table's instances of that site and page."""
        with self._lock:
            site = self._sites.setdefault(site.pk, site)
            page = self._pages.setdefault(route.page.pk, route.page)
        if page is not route.page:
            route = RouteResult(page, args=rebound(route.args, route.page, page), kwargs=route.kwargs)
        return site, route

    def get(self, key: RouteKey) -> tuple[Any, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: RouteKey, entry: tuple[Any, Any]) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def route_table() -> RouteTable:
    """This worker's table for the current generation (a fresh one after every bump)."""
    return shared_per_generation("site_data.page_routes", RouteTable)


def route_key(request: HttpRequest, path: str) -> RouteKey:
    host, _ = split_domain_port(request.get_host())  # validated by CommonMiddleware already
    return (host.lower(), str(request.get_port()), get_language() or "", path)


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """``wagtail.views.serve`` with the route (site, page, restrictions) shared per generation.

    Wagtail keeps its route on the request (``_wagtail_site``, ``_wagtail_route_for_request``): a
    known route is put there before Wagtail looks; a new one is resolved the way Wagtail does and
    kept, with the page's view restrictions read once for both.
    """
    from wagtail import views as wagtail_views  # not at import time: models import this module
    from wagtail.models import Page

    table = route_table()
    key = route_key(request, path)
    known = table.get(key)
    if known is None:
        route = Page.route_for_request(request, path)
        page = route[0] if route is not None else None
        if page is not None and page.live and isinstance(page, SharedRoutePageMixin):
            known = table.shared(request._wagtail_site, route)  # type: ignore[attr-defined]
            if known[1].page.shared_view_restrictions is None:
                known[1].page.shared_view_restrictions = tuple(known[1].page.get_view_restrictions())
            table.put(key, known)
    if known is not None:
        request._wagtail_site, request._wagtail_route_for_request = known  # type: ignore[attr-defined]
    return wagtail_views.serve(request, path)


def rebound(args: Any, old: Any, new: Any) -> Any:
    """A routable page's route arguments ``(view, args, kwargs)`` with the view bound to ``new``."""
    if len(args) == 3 and inspect.ismethod(args[0]) and args[0].__self__ is old:
        return (args[0].__func__.__get__(new, type(new)), args[1], args[2])
    return args


class SharedRoutePageMixin:
    """For page models: view restrictions from the shared route, when the page came from one.

    Wagtail's ``check_view_restrictions`` hook asks the page for its restrictions on every request;
    a page kept by ``serve`` answers from what was read when its route was first resolved (as a
    tuple: only the serving path sees that answer).
    """

    shared_view_restrictions: tuple[Any, ...] | None = None

    def get_view_restrictions(self) -> Any:
        if self.shared_view_restrictions is not None:
            return self.shared_view_restrictions
        return super().get_view_restrictions()  # type: ignore[misc]
