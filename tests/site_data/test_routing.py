"""Page routes shared per worker (site_data/routing.py): never stale, bounded, and query-free.

The page cache is off here, so every request is rendered and goes through the shared route: a
change must show on the very next request, exactly as without the route table.
"""

import pytest

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site

from site_data import routing
from site_data.generation import forget_shared
from tests.page_cache.conftest import publish


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def routed_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def test_a_known_route_costs_no_query(client, small_site):
    client.get("/privacy-policy/")
    response, queries = routed_queries(client, "/privacy-policy/")
    assert response.status_code == 200
    assert "We keep your data safe." in response.content.decode()
    assert queries == 0


def test_unpublishing_a_page_ends_its_route_at_once(client, small_site):
    assert client.get("/privacy-policy/").status_code == 200
    small_site["privacy-policy"].unpublish()
    assert client.get("/privacy-policy/").status_code == 404


def test_a_new_slug_moves_the_route(client, small_site):
    assert client.get("/privacy-policy/").status_code == 200
    privacy = small_site["privacy-policy"]
    privacy.slug = "privacy"
    publish(privacy)
    assert client.get("/privacy-policy/").status_code == 404
    assert client.get("/privacy/").status_code == 200


@pytest.mark.parametrize("restriction_type", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_making_a_page_private_applies_to_the_next_visitor(client, small_site, restriction_type):
    assert client.get("/privacy-policy/").status_code == 200
    PageViewRestriction.objects.create(
        page=small_site["privacy-policy"], restriction_type=restriction_type, password="s3cret-enough"
    )
    response = client.get("/privacy-policy/")
    assert "We keep your data safe." not in response.content.decode()
    assert response.status_code == (200 if restriction_type == PageViewRestriction.PASSWORD else 302)
    assert "no-cache" in response["Cache-Control"]


def test_changing_a_restrictions_groups_applies_at_once(client, small_site, django_user_model):
    restriction = PageViewRestriction.objects.create(
        page=small_site["privacy-policy"], restriction_type=PageViewRestriction.GROUPS
    )
    readers = Group.objects.create(name="Readers")
    user = django_user_model.objects.create_user("reader", password="a-long-passphrase-here")
    user.groups.add(readers)
    client.force_login(user)
    assert client.get("/privacy-policy/").status_code == 302, "to the login page: not a reader yet"
    restriction.groups.add(readers)
    assert client.get("/privacy-policy/").status_code == 200


def test_removing_a_restriction_opens_the_page_again(client, small_site):
    restriction = PageViewRestriction.objects.create(
        page=small_site["home"], restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get("/privacy-policy/").status_code == 302, "a restriction covers the subtree"
    restriction.delete()
    assert client.get("/privacy-policy/").status_code == 200


def test_a_site_moved_to_another_host_routes_there(client, small_site):
    assert client.get("/privacy-policy/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="other.example", port=80, root_page=small_site["privacy-policy"])
    response = client.get("/", HTTP_HOST="other.example")
    assert "We keep your data safe." in response.content.decode()
    assert client.get("/privacy-policy/", HTTP_HOST=site.hostname).status_code == 200


def test_host_names_share_one_route_whatever_their_case(client, small_site, settings):
    settings.ALLOWED_HOSTS = ["localhost", "LOCALHOST"]
    assert client.get("/privacy-policy/", HTTP_HOST="localhost").status_code == 200
    size = len(routing.route_table())
    with CaptureQueriesContext(connection) as upper:
        assert client.get("/privacy-policy/", HTTP_HOST="LOCALHOST").status_code == 200
    assert len(upper) == 0, [q["sql"][:150] for q in upper]
    assert len(routing.route_table()) == size


def test_unknown_paths_are_not_kept_and_the_table_is_bounded(client, small_site, monkeypatch):
    for number in range(20):
        assert client.get(f"/no-such-page-{number}/").status_code == 404
    assert len(routing.route_table()) == 0, "a 404 takes no room"

    monkeypatch.setattr(routing, "ROUTES_PER_WORKER", 2)
    forget_shared()
    for path in ("/", "/privacy-policy/", "/cookie-policy/"):
        assert client.get(path).status_code == 200
    assert len(routing.route_table()) == 2, "the least recently used route made room"
    response, queries = routed_queries(client, "/")
    assert response.status_code == 200 and queries > 0, "the evicted route was resolved again"


def test_every_route_to_a_page_shares_one_instance_of_it(client, small_site):
    """The table's memory follows the number of pages, not the number of URLs (sub-routes)."""
    paths = ["/cookie-policy/", "/cookie-policy/versions/", "/cookie-policy/versions/1/", "/"]
    for path in paths:
        assert client.get(path).status_code == 200, path
    entries = [routing.route_table().get(key) for key in list(routing.route_table()._entries)]
    pages = {id(route.page) for _, route in entries}
    sites = {id(site) for site, _ in entries}
    assert len(entries) == 4 and len(pages) == 2 and len(sites) == 1
    # A sub-route's view is bound to the shared page, and still answers.
    response, queries = routed_queries(client, "/cookie-policy/versions/")
    assert response.status_code == 200 and "Version 1" in response.content.decode()
