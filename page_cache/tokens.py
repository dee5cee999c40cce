"""Invalidation tokens and the cache keys built from them (see the package docstring)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.cache import BaseCache, caches

SITE_GENERATION_KEY = "page-cache:generation"
# Deeper paths share the token of their ancestor at this depth (over-invalidation, never staleness).
MAX_SUBTREE_DEPTH = 4


def token_cache() -> BaseCache:
    return caches[getattr(settings, "PAGE_CACHE_TOKEN_ALIAS", "page_tokens")]


def page_store() -> BaseCache:
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "pages")]


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def new_token() -> str:
    return secrets.token_hex(8)


def path_prefixes(path: str) -> list[str]:
    """``/a/b/c/`` → ``["/a/", "/a/b/", "/a/b/c/"]``, capped at MAX_SUBTREE_DEPTH."""
    segments = [segment for segment in path.split("/") if segment][:MAX_SUBTREE_DEPTH]
    return ["/" + "/".join(segments[: depth + 1]) + "/" for depth in range(len(segments))]


def subtree_key(path: str) -> str:
    prefixes = path_prefixes(path)
    if not prefixes:  # the site root's subtree is the whole site
        return SITE_GENERATION_KEY
    return "page-cache:subtree:" + _digest(prefixes[-1])


def exact_path_key(path: str) -> str:
    return "page-cache:path:" + _digest(path)


def token_keys_for_path(path: str) -> list[str]:
    """Every token a page at ``path`` depends on, site generation first."""
    return [
        SITE_GENERATION_KEY,
        *(subtree_key(prefix) for prefix in path_prefixes(path)),
        exact_path_key(path),
    ]


def read_tokens(keys: list[str]) -> dict[str, str]:
    """The tokens that exist now (one round trip). A missing one means nothing is stored under it."""
    return token_cache().get_many(keys)


def create_missing_tokens(keys: list[str], tokens: dict[str, str]) -> bool:
    """Give the missing tokens fresh values before a page is stored under them.

    Returns False if one appeared meanwhile (an invalidation ran while the page was rendered):
    the page may then be stale and must not be stored. Tokens are only created for pages that are
    stored, so requests for random URLs write nothing.
    """
    cache = token_cache()
    for key in keys:
        if key not in tokens:
            token = new_token()
            if not cache.add(key, token, timeout=None):
                return False
            tokens[key] = token
    return True


def change_tokens(keys: list[str]) -> None:
    """Retire every page stored under the old values of these tokens."""
    token_cache().set_many({key: new_token() for key in keys}, timeout=None)


def page_cache_key(
    tokens: dict[str, str], keys: list[str], *, generation: str, scheme: str, host: str, path: str, query: str
) -> str:
    """The page tokens plus the site generation (``site_data``), which every change to site-wide
    data (registry, settings, policy versions) bumps."""
    values = [generation, *(tokens[key] for key in keys)]
    return "page-cache:page:" + _digest("|".join([*values, scheme, host, path, query]))
