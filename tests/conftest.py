"""Fixtures shared by the whole suite."""

import pytest

from django.core.management import call_command


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached pages: the database is rolled back between tests, the cache is not."""
    from django.core.cache import caches

    caches["page_tokens"].clear()
    caches["pages"].clear()


@pytest.fixture
def demo_site(db):
    """The demo content a newcomer sees: organisation, home page, registry and both policies."""
    call_command("load_demo_content", verbosity=0)
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "password")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
