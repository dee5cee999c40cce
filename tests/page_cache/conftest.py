"""A small site built directly (much faster than the demo content): home, two policies, a registry."""

import datetime

import pytest

from wagtail.models import Page, Site

from consent.models import ConsentSettings
from cookie_registry.models import Cookie, CookieCategory
from home.models import HomePage
from organisation.models import OrganisationSettings
from policy_pages.models import PolicyPage


def publish(instance):
    """Publish as the editor's Publish button does (a new snippet is saved first, as in the admin)."""
    if instance.pk is None:
        instance.save()
    instance.save_revision().publish()
    return instance


@pytest.fixture
def small_site(db):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Cached home", slug="cached-home"))
    publish(home)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    OrganisationSettings.objects.create(
        legal_name="Cachewell Trading Ltd", contact_email="hello@cachewell.example"
    )
    ConsentSettings.load()
    necessary = CookieCategory(
        key="necessary",
        name="Strictly Necessary",
        purpose="Keeps the site working.",
        is_essential=True,
        default_enabled=True,
        sort_order=1,
    )
    necessary.cookies = [Cookie(name="cookie_consent", purpose="Remembers your choices.")]
    publish(necessary)
    analytics = CookieCategory(key="analytics", name="Analytics", purpose="Counts visits.", sort_order=2)
    analytics.cookies = [Cookie(name="_pk_id", purpose="Tells visits apart.")]
    publish(analytics)
    pages = {"home": home}
    for slug, title, body in [
        ("privacy-policy", "Privacy Policy", [("paragraph", "<p>We keep your data safe.</p>")]),
        (
            "cookie-policy",
            "Cookie Policy",
            [("cookie_declarations", {"category": None, "caption": "Cookies"})],
        ),
    ]:
        page = home.add_child(
            instance=PolicyPage(
                title=title,
                slug=slug,
                show_in_menus=True,
                body=body,
                effective_date=datetime.date(2026, 1, 1),
                change_summary="First version.",
            )
        )
        publish(page)
        pages[slug] = PolicyPage.objects.get(
            pk=page.pk
        )  # as an editor would load it: live, with its revision
    return pages
