"""What is served from the page cache, what never is, and the headers a CDN sees."""

import gzip

import pytest

from django.http import HttpResponse
from django.test import Client

from page_cache.middleware import response_is_shareable


def test_second_anonymous_request_is_served_from_cache_without_queries(
    client, small_site, django_assert_num_queries
):
    first = client.get("/cookie-policy/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/cookie-policy/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_cached_pages_tell_a_cdn_it_may_share_them_and_browsers_to_revalidate(client, small_site, settings):
    settings.PAGE_CACHE_CDN_MAX_AGE = 600
    for _ in range(2):  # the miss and the hit carry the same headers
        response = client.get("/privacy-policy/")
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=0", "s-maxage=600"}
        assert response["ETag"].startswith('"')


def test_matching_etag_gets_304_without_body_or_queries(client, small_site, django_assert_num_queries):
    etag = client.get("/").headers["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert client.get("/", headers={"if-none-match": '"something-else"'}).status_code == 200


def test_head_request_uses_the_cached_page(client, small_site):
    client.get("/privacy-policy/")
    response = client.head("/privacy-policy/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_tracking_parameters_are_served_the_cached_page_and_add_no_entry(client, small_site):
    from page_cache.store import worker_pages

    plain = client.get("/privacy-policy/")
    assert plain["X-Page-Cache"] == "miss"
    entries = len(worker_pages)
    tracked = client.get("/privacy-policy/?utm_source=newsletter&utm_medium=email&fbclid=abc&gclid=xyz")
    assert tracked["X-Page-Cache"] == "hit"
    assert tracked.content == plain.content
    for n in range(5):
        assert client.get(f"/privacy-policy/?utm_source=x{n}")["X-Page-Cache"] == "hit"
    assert len(worker_pages) == entries, "no new entry per query string"


def test_parameters_a_route_reads_are_separate_entries_in_any_order(client, small_site, settings):
    settings.PAGE_CACHE_QUERY_PARAMETERS = {r"^/privacy-policy/$": ("a", "b")}
    assert client.get("/privacy-policy/?a=1&b=2")["X-Page-Cache"] == "miss"
    assert client.get("/privacy-policy/?b=2&a=1&utm_source=x")["X-Page-Cache"] == "hit"
    assert client.get("/privacy-policy/?a=2")["X-Page-Cache"] == "miss"
    assert client.get("/privacy-policy/")["X-Page-Cache"] == "miss"


def test_the_view_never_sees_parameters_its_route_does_not_read(rf, settings):
    from page_cache.keys import drop_unread_parameters

    request = rf.get("/cookie-policy/versions/upcoming/?utm_source=x&changes=1&fbclid=y")
    assert drop_unread_parameters(request) == "changes=1"
    assert dict(request.GET) == {"changes": ["1"]}
    assert request.get_full_path() == "/cookie-policy/versions/upcoming/?changes=1"
    other = rf.get("/cookie-policy/?changes=1&gclid=z")
    assert drop_unread_parameters(other) == ""
    assert other.get_full_path() == "/cookie-policy/"


def test_host_names_differing_in_case_or_default_port_share_one_entry(client, small_site):
    from page_cache.store import worker_pages

    assert client.get("/privacy-policy/", headers={"host": "localhost"})["X-Page-Cache"] == "miss"
    entries = len(worker_pages)
    for host in ("LOCALHOST", "LocalHost:80", "localhost."):
        assert client.get("/privacy-policy/", headers={"host": host})["X-Page-Cache"] == "hit", host
    assert len(worker_pages) == entries


def test_pages_over_the_entry_cap_are_served_but_not_kept(client, small_site, settings):
    from page_cache.store import worker_pages

    settings.PAGE_CACHE_MAX_ENTRY_BYTES = 1000
    for _ in range(2):
        response = client.get("/cookie-policy/")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "uncached"
        assert "public" in response["Cache-Control"]
    assert len(worker_pages) == 0


def test_worker_memory_is_bounded_least_recently_used_first(client, small_site, settings):
    from page_cache.store import worker_pages

    client.get("/privacy-policy/")
    one_page = worker_pages.bytes
    settings.PAGE_CACHE_WORKER_BYTES = int(one_page * 2.5)
    client.get("/privacy-policy/")  # most recently used
    client.get("/")
    client.get("/cookie-policy/")
    assert worker_pages.bytes <= settings.PAGE_CACHE_WORKER_BYTES
    assert len(worker_pages) < 3


def test_a_worker_without_the_page_takes_it_from_the_shared_store(
    client, small_site, settings, django_assert_num_queries
):
    """With Redis, one worker's render serves every other worker (simulated: empty worker memory)."""
    from page_cache.store import worker_pages

    settings.CACHES = {
        **settings.CACHES,
        "shared_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
    }
    settings.PAGE_CACHE_ALIAS = "shared_pages"
    first = client.get("/cookie-policy/")
    assert first["X-Page-Cache"] == "miss"
    worker_pages.clear()  # another worker: nothing in its memory yet
    with django_assert_num_queries(0):
        second = client.get("/cookie-policy/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(worker_pages) == 1, "kept in this worker's memory from now on"


def test_logged_in_editor_is_never_served_a_cached_page_nor_fills_the_cache(admin_client, small_site):
    client = Client()  # `client` and `admin_client` are one object: this one stays anonymous
    client.get("/privacy-policy/")  # an anonymous copy exists
    response = admin_client.get("/privacy-policy/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert b"wagtail-userbar" in response.content
    anonymous = client.get("/privacy-policy/")
    assert anonymous["X-Page-Cache"] == "hit"
    assert b"wagtail-userbar" not in anonymous.content


def test_admin_preview_is_never_cached(admin_client, small_site):
    page = small_site["privacy-policy"]
    for _ in range(2):
        response = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/cookie-settings/", "/admin/login/", "/healthz/"])
def test_per_visitor_and_operational_paths_are_never_cached(client, small_site, path):
    for _ in range(2):
        response = client.get(path)
        assert "X-Page-Cache" not in response
        cache_control = response["Cache-Control"]
        assert "public" not in cache_control
        assert "no-store" in cache_control or "private" in cache_control


def test_posts_are_never_cached(client, small_site):
    response = client.post("/privacy-policy/", {"x": "1"})
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")
    assert client.get("/privacy-policy/")["X-Page-Cache"] == "miss", "the POST stored nothing"


def test_not_found_is_not_cached(client, small_site):
    for _ in range(2):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response


def test_caching_can_be_switched_off(client, small_site, settings):
    settings.PAGE_CACHE_ENABLED = False
    for _ in range(2):
        response = client.get("/cookie-policy/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


@pytest.mark.parametrize(
    ("response", "shareable"),
    [
        (HttpResponse("ok"), True),
        (HttpResponse("not found", status=404), False),
        (HttpResponse("ok", headers={"Cache-Control": "private"}), False),
        (HttpResponse("ok", headers={"Cache-Control": "no-store"}), False),
        (HttpResponse("ok", headers={"Vary": "Accept-Encoding, Cookie"}), False),
    ],
)
def test_only_responses_the_same_for_everyone_are_shared(response, shareable):
    assert response_is_shareable(response) is shareable


def test_a_response_that_sets_a_cookie_is_never_shared():
    response = HttpResponse("ok")
    response.set_cookie("visitor", "42")
    assert response_is_shareable(response) is False


def test_browsers_that_accept_gzip_get_the_page_compressed_once(client, small_site):
    plain = client.get("/cookie-policy/")
    assert "Accept-Encoding" in plain["Vary"]
    for state in ("hit", "hit"):
        response = client.get("/cookie-policy/", headers={"accept-encoding": "gzip, deflate, br"})
        assert response["X-Page-Cache"] == state
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        assert response["ETag"] != plain["ETag"], "each body has its own tag"
    revalidated = client.get(
        "/cookie-policy/", headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]}
    )
    assert revalidated.status_code == 304


def test_the_first_visitor_gets_gzip_too(client, small_site):
    response = client.get("/privacy-policy/", headers={"accept-encoding": "gzip"})
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert b"Privacy Policy" in gzip.decompress(response.content)
