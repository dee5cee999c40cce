"""One cache key per page the site can show: generation, scheme, host, path and the query it reads.

Query parameters a route does not read (``utm_*``, ``fbclid``, ``gclid``, typos, cache busters) are
removed from the request before the view sees it, so ``/?utm_source=x`` *is* ``/``: it is served the
same cached copy and makes no new entry. Which parameters a route reads is an allow-list
(``PAGE_CACHE_QUERY_PARAMETERS``: path regex → names); a route that starts reading a parameter must
be added there.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, QueryDict

# The public routes that read a query parameter (versions/upcoming/?changes=1, the compare picker).
DEFAULT_QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    r"/versions/upcoming/$": ("changes",),
    r"/versions/compare/$": ("a", "b"),
}


@lru_cache(maxsize=4)
def _compiled(
    rules: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    return tuple((re.compile(pattern), frozenset(names)) for pattern, names in rules)


def allowed_parameters(path: str) -> frozenset[str]:
    """The query parameters the route at ``path`` reads (usually none)."""
    configured = getattr(settings, "PAGE_CACHE_QUERY_PARAMETERS", DEFAULT_QUERY_PARAMETERS)
    allowed: frozenset[str] = frozenset()
    for pattern, names in _compiled(tuple((key, tuple(value)) for key, value in configured.items())):
        if pattern.search(path):
            allowed |= names
    return allowed


def drop_unread_parameters(request: HttpRequest) -> str:
    """Remove the parameters the route does not read from ``request``; the normalised rest."""
    if not request.META.get("QUERY_STRING"):
        return ""
    allowed = allowed_parameters(request.path_info)
    kept = sorted((name, values) for name, values in request.GET.lists() if name in allowed)
    query = urlencode(kept, doseq=True)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query
    return query


def normalised_host(request: HttpRequest) -> str:
    """Lower case, no trailing dot, no default port: ``Example.ORG.:443`` → ``example.org``."""
    host = request.get_host().lower()
    domain, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if domain and port.isdigit():
        if (request.scheme, port) in (("http", "80"), ("https", "443")):
            host = domain
        else:
            return f"{domain.rstrip('.')}:{port}"
    return host.rstrip(".")


def page_key(generation: str, request: HttpRequest, query: str) -> str:
    url = f"{request.scheme}://{normalised_host(request)}{request.path_info}?{query}"
    digest = hashlib.blake2b(url.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return f"page:{generation}:{digest}"
