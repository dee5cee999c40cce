"""The policy-versions report links each archived text on the host the policy is actually served on."""

from __future__ import annotations

import pytest

from wagtail.models import Site

from home.demo_content import served_address


def export_rows(admin_client) -> list[str]:
    response = admin_client.get("/admin/reports/policy-versions/?export=csv")
    return b"".join(response.streaming_content).decode().splitlines()


@pytest.mark.parametrize(
    ("hostname", "port", "root"),
    [
        ("policies.example.org", 443, "https://policies.example.org"),
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
    ],
)
def test_archived_url_is_built_from_the_sites_root_url(admin_client, published_policy, hostname, port, root):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = hostname, port
    site.save()
    rows = export_rows(admin_client)
    assert rows[1].endswith(f",{root}/cookie-policy/versions/1/"), rows[1]
    assert "localhost" not in rows[1]


def test_demo_site_takes_the_address_the_site_is_served_on(settings, published_policy):
    assert Site.objects.get(is_default_site=True).hostname == "testserver"  # WAGTAILADMIN_BASE_URL in tests
    settings.WAGTAILADMIN_BASE_URL = "https://policies.example.org"
    assert served_address() == ("policies.example.org", 443)
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    assert served_address() == ("127.0.0.1", 8000)
