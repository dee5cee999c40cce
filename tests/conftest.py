"""Fixtures shared by the whole suite."""

import pytest

from django.core.management import call_command

from tests.fixtures.registry import registry  # noqa: F401 - the suite's one registry fixture


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: the database is rolled back between tests, caches are not
    (cached pages, and Wagtail's site root paths, which point at pages of an earlier test's Site)."""
    from django.conf import settings
    from django.core.cache import caches

    from page_cache.store import worker_pages
    from site_data.generation import forget_shared

    for alias in settings.CACHES:
        caches[alias].clear()
    worker_pages.clear()
    forget_shared()


def ensure_wagtail_tree() -> None:
    """Recreate the rows ``migrate`` seeds (locales, root page, a default site) if gone."""
    from wagtail.models import Page, Site

    from languages.locales import ensure_site_locales

    ensure_site_locales()
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.filter(is_default_site=True).exists():
        welcome = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
        Site.objects.create(hostname="localhost", port=80, root_page=welcome, is_default_site=True)


@pytest.fixture(autouse=True)
def _wagtail_tree_for_transactional_tests(request):
    """Give each transactional test the rows Wagtail's migrations seed (default locale, root page, site).

    pytest-django runs transactional tests last and flushes the database after each one, which removes
    those rows; restoring them at set-up makes a transactional test independent of the tests before it.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        ensure_wagtail_tree()


@pytest.fixture
def demo_site(db):
    """The demo content a newcomer sees: organisation, home page, registry and both policies, with their
    German and French translations. Returns the default-language home page."""
    call_command("load_demo_content", verbosity=0)
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "password")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
