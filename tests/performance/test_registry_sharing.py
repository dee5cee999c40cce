"""The published registry is loaded once per worker and registry change, never served stale."""

import pytest

from cookie_registry.models import Cookie, CookieCategory
from cookie_registry.services import published_registry


@pytest.fixture
def analytics(sized_registry_site):
    sized_registry_site(cookies=10, versions=1)
    return CookieCategory.objects.get(key="analytics")


def test_second_load_costs_no_query_and_shares_one_immutable_snapshot(analytics, django_assert_num_queries):
    import dataclasses

    first = published_registry()
    with django_assert_num_queries(0):  # the site generation token lives in the cache, not the DB
        second = published_registry()
    assert second is first
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.category("analytics").purpose = "changed by a request"


def test_publishing_a_registry_change_is_seen_by_the_next_load(analytics, django_assert_max_num_queries):
    published_registry()
    analytics.cookies.add(Cookie(name="_new_tag", purpose="Counts visits.", party="first"))
    analytics.save_revision().publish()
    with django_assert_max_num_queries(6):
        registry = published_registry()
    names = [cookie.name for cookie in registry.category("analytics").cookies]
    assert "_new_tag" in names


def test_a_draft_does_not_change_what_is_served(analytics):
    published_registry()
    analytics.purpose = "Draft wording nobody has approved."
    analytics.save_revision()
    assert published_registry().category("analytics").purpose != "Draft wording nobody has approved."


def test_cached_policy_body_follows_registry_and_organisation_changes(client, sized_registry_site, settings):
    """The policy body fragment is reused between requests, but never outlives what it shows."""
    from organisation.models import OrganisationSettings

    settings.PAGE_CACHE_ENABLED = False  # only the fragment cache is in play
    sized_registry_site(cookies=10, versions=1)
    page = client.get("/cookie-policy/").content.decode()
    assert "_fresh_tag" not in page

    analytics = CookieCategory.objects.get(key="analytics")
    analytics.cookies.add(Cookie(name="_fresh_tag", purpose="Counts visits.", party="first"))
    analytics.save_revision().publish()
    assert "<code>_fresh_<wbr>tag</code>" in client.get("/cookie-policy/").content.decode()

    organisation = OrganisationSettings.load()
    organisation.contact_email = "dpo@renamed.example"
    organisation.save()
    assert "dpo@renamed.example" in client.get("/cookie-policy/").content.decode()


def test_policy_body_is_rendered_once_until_something_changes(client, sized_registry_site, settings):
    settings.PAGE_CACHE_ENABLED = False
    sized_registry_site(cookies=10, versions=1)
    client.get("/cookie-policy/")
    first = client.get("/cookie-policy/").content.decode()
    from unittest import mock

    with mock.patch("policy_pages.models.PolicyPage.table_of_contents") as table_of_contents:
        again = client.get("/cookie-policy/").content.decode()
    table_of_contents.assert_not_called()
    assert again == first
