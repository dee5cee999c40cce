"""Fixtures for the invalidation core's tests."""

from tests.page_cache.conftest import small_site  # noqa: F401 - home, two policies and a registry
