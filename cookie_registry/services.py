"""Reading the published cookie registry: one immutable snapshot per worker and site generation.

The policy blocks, the consent banner, the consent endpoint and the CSP all call
``published_registry()``. It returns a ``snapshot.RegistrySnapshot`` (plain frozen values) built in
a fixed number of queries however many cookies there are, and kept in the worker's memory until
the site generation changes (``site_data``; every registry write bumps it, as registered in this
app's ``AppConfig.ready()``, and the generation is shared, so a publish on one worker retires every
worker's copy). Nothing is stored on the request: the snapshot is immutable and shared as is.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.translation import get_language

from site_data.generation import current_generation, shared_per_generation

from .snapshot import RegistrySnapshot, load_registry

SHARED_NAME = "cookie_registry.published"


def published_registry() -> RegistrySnapshot:
    """The live registry with its current version number, shared by this worker until it changes."""
    return shared_per_generation(SHARED_NAME, load_registry)


def localized_registry(language: str | None = None) -> RegistrySnapshot:
    """The live registry as read in ``language`` (default: the active one), shared per worker.

    What public pages show: tables, banner and preferences. Missing translations read the
    default-language text, entry by entry and field by field.
    """
    language = language or get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return published_registry()
    return shared_per_generation(
        f"{SHARED_NAME}:{language}", lambda: published_registry().localized(language)
    )


def published_registry_token(request: object = None) -> str:
    """A value that changes whenever the published registry (or anything site-wide) changes.

    Templates add it to fragment cache keys (the policy body's registry tables). When the site
    generation cannot be read it is unique per call, so nothing is served from a stale fragment.
    """
    return current_generation() or f"uncached-{secrets.token_hex(8)}"
