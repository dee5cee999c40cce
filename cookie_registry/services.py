"""Reading the published cookie registry: one place, a constant number of queries, once per request.

The policy blocks, the consent banner and policy versions all call ``load_published_registry``.
It runs the same handful of queries however many cookies there are (categories, their cookies with
providers, providers, retention rules, and the current version), and remembers the result on the
request so that four registry blocks on one page share one load.

Between requests the loaded registry is also kept in the worker's memory until the site
generation changes, which every registry write does (``site_data``, registered in this app's
``AppConfig.ready()``; the generation lives in Redis or a host-wide file cache, so a publish on one
worker retires every worker's copy). The banner is on every page, so without this each uncached page and each consent POST would
rebuild the whole registry.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace

from django.db.models import F, Prefetch
from django.http import HttpRequest

from .models import Cookie, CookieCategory, Provider, RegistryVersion, RetentionRule

REQUEST_ATTRIBUTE = "_published_cookie_registry"


@dataclass
class PublishedRegistry:
    """The live registry. Each category carries ``published_cookies`` (a list, already loaded);
    each provider carries ``published_cookies`` (its cookies in live categories)."""

    categories: list[CookieCategory]
    providers: list[Provider]
    retention_rules: list[RetentionRule]
    version: RegistryVersion | None = None
    _by_key: dict[str, CookieCategory] = field(default_factory=dict, repr=False)
    _claimed_anchors: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {category.key: category for category in self.categories}

    def category(self, key: str) -> CookieCategory | None:
        return self._by_key.get(key)

    def claim_anchor(self, anchor: str) -> str:
        """The anchor the first time it is asked for during a request, "" afterwards (ids are unique)."""
        if anchor in self._claimed_anchors:
            return ""
        self._claimed_anchors.add(anchor)
        return anchor

    @property
    def cookies(self) -> list[Cookie]:
        return [cookie for category in self.categories for cookie in category.published_cookies]

    @property
    def optional_categories(self) -> list[CookieCategory]:
        return [category for category in self.categories if not category.is_essential]

    @property
    def providers_with_cookies(self) -> list[Provider]:
        """Who else places cookies here: live providers that have a cookie in a live category."""
        return [provider for provider in self.providers if provider.published_cookies]


def query_published_registry(*, with_version: bool = False) -> PublishedRegistry:
    """Load the live registry from the database (4 queries, 5 with the version)."""
    # Rows written outside the admin may have no sort_order: they go last on every database.
    cookies = Cookie.objects.select_related("provider").order_by(F("sort_order").asc(nulls_last=True), "pk")
    categories = list(
        CookieCategory.objects.live()
        .order_by("sort_order", "name", "pk")
        .prefetch_related(Prefetch("cookies", queryset=cookies, to_attr="published_cookies"))
    )
    providers = list(Provider.objects.live().order_by("name"))
    providers_by_id = {provider.pk: provider for provider in providers}
    for provider in providers:
        provider.published_cookies = []
    for category in categories:
        for cookie in category.published_cookies:
            # A provider still in draft is not shown as a provider; the cookie keeps its domain.
            live_provider = providers_by_id.get(cookie.provider_id)
            cookie.published_provider = live_provider
            if live_provider is not None:
                live_provider.published_cookies.append(cookie)
    retention_rules = list(RetentionRule.objects.live().order_by("sort_order", "data_category", "pk"))
    version = None
    if with_version:
        from .versioning import current_registry_version

        version = current_registry_version()
    return PublishedRegistry(
        categories=categories, providers=providers, retention_rules=retention_rules, version=version
    )


def load_published_registry(request: HttpRequest | None = None) -> PublishedRegistry:
    """The live registry with its current version, memoised on ``request`` when one is given."""
    if request is not None:
        cached = getattr(request, REQUEST_ATTRIBUTE, None)
        if cached is not None:
            return cached
    registry = _shared_published_registry()
    if request is not None:
        setattr(request, REQUEST_ATTRIBUTE, registry)
    return registry


def published_registry_token(request: HttpRequest | None = None) -> str:
    """A value that changes whenever the published registry (or anything site-wide) changes.

    Templates add it to fragment cache keys (the policy body's registry tables). Without a token
    store it is unique per call, so nothing is ever served from a stale fragment.
    """
    token = getattr(request, "_published_registry_token", None) if request is not None else None
    if token is None:
        from site_data.generation import current_generation

        token = current_generation() or f"uncached-{secrets.token_hex(8)}"
        if request is not None:
            request._published_registry_token = token
    return token


def _shared_published_registry() -> PublishedRegistry:
    """The registry for the current site generation, loaded once per worker and generation.

    Each caller gets its own shallow copy: the loaded rows are shared read-only, the per-request
    anchor bookkeeping is not.
    """
    from site_data.generation import shared_per_generation

    shared = shared_per_generation(
        "cookie_registry.published", lambda: query_published_registry(with_version=True)
    )
    return replace(shared, _by_key={}, _claimed_anchors=set())
