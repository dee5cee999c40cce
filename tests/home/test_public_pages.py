"""What an anonymous visitor gets from the public pages."""

import pytest


@pytest.mark.parametrize("path", ["/", "/privacy-policy/", "/cookie-policy/"])
def test_public_pages_render_with_organisation_details(client, demo_site, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en' in html
    assert 'href="#main"' in html, "skip link"
    assert "<main" in html and "<footer" in html and "<nav" in html
    assert "Northwind Open Source Solutions LLP" in html, "controller's name comes from settings"
    assert "privacy@northwind.example" in html
    assert "data-cookie-settings" in html and "Cookie Settings" in html


def test_navigation_links_to_both_policies(client, demo_site):
    html = client.get("/").content.decode()
    assert 'href="/privacy-policy/"' in html
    assert 'href="/cookie-policy/"' in html


def test_policy_page_has_table_of_contents_with_working_anchors(client, demo_site):
    html = client.get("/privacy-policy/").content.decode()
    assert 'href="#your-rights"' in html
    assert 'id="your-rights"' in html
    assert "Article 6" in html
    assert "Portability" in html


def test_organisation_settings_change_shows_on_pages(client, demo_site):
    from organisation.models import OrganisationSettings

    organisation = OrganisationSettings.load()
    organisation.contact_email = "hello@changed.example"
    organisation.save()
    assert "hello@changed.example" in client.get("/privacy-policy/").content.decode()


def test_unknown_page_gets_friendly_404(client, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_answers_503_only_when_the_database_is_down(client, db):
    from unittest import mock

    with mock.patch("operations.views.connection") as connection:
        connection.cursor.side_effect = ConnectionError("database gone")
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down", "cache": "ok"}


def test_demo_content_is_idempotent(demo_site):
    from django.core.management import call_command

    from wagtail.models import Page, Revision

    pages, revisions = Page.objects.count(), Revision.objects.count()
    call_command("load_demo_content", verbosity=0)
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
